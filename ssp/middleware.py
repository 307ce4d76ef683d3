"""The project's middleware: Danish first, the Permissions-Policy header, two-factor sessions,
the session time limits, and no browser cache for signed-in pages."""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ssp.two_factor import SECOND_FACTOR_SESSION_KEY, SecondFactor

PROVEN_SECOND_FACTORS = frozenset(factor.value for factor in SecondFactor)


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    Public-sector services in Denmark answer in Danish; English is an explicit choice,
    remembered in the language cookie set by Django's `set_language` view.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PermissionsPolicyMiddleware:
    """Sends `settings.PERMISSIONS_POLICY`: camera, microphone, location and the like are off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreForSignedInMiddleware:
    """Marks every response to a signed-in user `Cache-Control: no-store`, unless the view set
    its own caching.

    Case pages, minutes, exports and attachments carry children's personal data; on a shared
    computer the browser's cache would keep them for the next person. Deciding page by page
    would miss the next page, so the rule is per user: static files are answered by WhiteNoise
    before the session is read and public pages are for anonymous visitors, so both keep
    their caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


SIGNED_IN_AT = "ssp_signed_in_at"
LAST_SEEN_AT = "ssp_last_seen_at"
# A request refreshes "last seen" at most this often, so browsing does not write the session
# on every page.
SEEN_GRANULARITY_SECONDS = 30


class SessionTimeoutMiddleware:
    """Signs a user out after `SESSION_IDLE_SECONDS` without a request, and
    `SESSION_COOKIE_AGE` after signing in however active they are (ASVS 3.3).

    The browser then lands on the login page with a message and a `next` back to where they
    were; an htmx request is sent there with `HX-Redirect`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            signed_in = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.get(LAST_SEEN_AT, now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                return self._signed_out(
                    request,
                    _("Du er logget af, fordi du ikke har brugt siden i %(minutes)s minutter.")
                    % {"minutes": settings.SESSION_IDLE_SECONDS // 60},
                )
            if now - signed_in > settings.SESSION_COOKIE_AGE:
                return self._signed_out(
                    request,
                    _("Du er logget af, fordi du har været logget ind i %(hours)s timer.")
                    % {"hours": settings.SESSION_COOKIE_AGE // 3600},
                )
            if now - last_seen >= SEEN_GRANULARITY_SECONDS or LAST_SEEN_AT not in session:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)

    def _signed_out(self, request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, message)
        login = reverse("login")
        if request.path == login:
            # The page's own timer brought the user here: show the login page, with the
            # message and the `next` it already has.
            return self.get_response(request)
        return to_login_page(request)


def to_login_page(request: HttpRequest) -> HttpResponse:
    """Send the browser to the login page with a `next` back here; an htmx request gets
    `HX-Redirect`, so the whole page goes, not just the fragment."""
    target = f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


class TwoFactorMiddleware:
    """Ends any signed-in session that did not prove a second factor.

    `ssp.two_factor.sign_in` is the only way the app signs anyone in, and it always records the
    second factor; this is the guard for every other way a session could come about (Django
    admin's own login form, a future view that calls `login()` directly).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proven = request.session.get(SECOND_FACTOR_SESSION_KEY) in PROVEN_SECOND_FACTORS
        if request.user.is_authenticated and not proven:
            logout(request)
            return to_login_page(request)
        return self.get_response(request)
