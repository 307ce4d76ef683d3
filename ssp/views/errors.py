"""The pages shown when a request fails, in the design and the reader's language.

400, 403 and 404 are ordinary pages: the signed-in user keeps the menu. The 500 page is
rendered from the template alone, with no context processors, no session and no database,
because any of those may be what failed; it shows a reference that is also in the log, so
support can find the error from a screenshot or a phone call.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused for its missing or stale CSRF token: nearly always a page left open too
    long or cookies turned off, so the page says that instead of "403 Forbidden"."""
    return render(request, "errors/403_csrf.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def new_reference() -> str:
    """Eight characters, short enough to read aloud, enough not to repeat in a log's lifetime."""
    return secrets.token_hex(4).upper()


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this inside its `except` clause, so the exception is logged here with the
    reference in the message (the log format prints the message) and on the record."""
    reference = new_reference()
    logger.exception(
        "Server error %s on %s %s",
        reference,
        request.method,
        request.path,
        extra={"error_reference": reference},
    )
    try:
        content = loader.get_template("errors/500.html").render(
            {
                "reference": reference,
                "request": request,
                # For the language switch; the token lives in a cookie, not in the session.
                "csrf_token": get_token(request),
                "service_name": settings.SSP_SITE_NAME,
                "authority_name": settings.SSP_AUTHORITY_NAME,
                "support_email": settings.SSP_SUPPORT_EMAIL,
            }
        )
    except Exception:  # the page of last resort must not fail; the log has the reference
        logger.exception("The error page failed for server error %s", reference)
        return HttpResponseServerError(
            f"Server error. Reference: {reference}", content_type="text/plain; charset=utf-8"
        )
    return HttpResponseServerError(content)
