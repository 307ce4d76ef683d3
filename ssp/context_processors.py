from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str | int]:
    return {
        "service_name": settings.SSP_SITE_NAME,
        "authority_name": settings.SSP_AUTHORITY_NAME,
        "support_email": settings.SSP_SUPPORT_EMAIL,
        "session_idle_seconds": settings.SESSION_IDLE_SECONDS,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
