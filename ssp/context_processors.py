from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {
        "service_name": settings.SSP_SITE_NAME,
        "authority_name": settings.SSP_AUTHORITY_NAME,
        "support_email": settings.SSP_SUPPORT_EMAIL,
    }
