"""Sign-in through the organisation's identity provider (OpenID Connect), when it is on."""

from __future__ import annotations

import logging

import jwt
import requests
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from ssp.two_factor import SecondFactor, pending_login_start, second_factor_step_url, sign_in
from ssp.views.auth import locked_out

logger = logging.getLogger(__name__)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer. Signs in at once when the provider proved two factors; otherwise
    the user continues to the app's own second step, as after a password."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except (
            requests.RequestException,
            jwt.PyJWTError,
            SuspiciousOperation,
            ValueError,
        ) as error:
            # The provider could not be reached, or answered with something that does not
            # verify (signature, nonce, state): never signed in, never a 500.
            logger.warning("OpenID Connect sign-in failed: %s", error)
            return self.login_failure()

    def login_success(self) -> HttpResponse:
        user = self.user
        next_url = self.success_url
        # The lockout after repeated wrong passwords or codes holds here too: the provider
        # proves who is signing in, but the lock is there because someone else may be trying.
        credentials = {settings.AXES_USERNAME_FORM_FIELD: user.email}
        if AxesProxyHandler.is_locked(self.request, credentials):
            return locked_out(self.request)
        if getattr(user, "oidc_second_factor", False):
            sign_in(self.request, user=user, method=SecondFactor.IDENTITY_PROVIDER)
            return redirect(next_url)
        # The backend accepts only an address the provider vouches for: the mailbox is proven.
        pending_login_start(self.request, user=user, next_url=next_url, email_proven=True)
        return redirect(second_factor_step_url(user))

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "Du blev ikke logget ind via %(provider)s. Prøv igen, eller log ind med "
                "e-mail og adgangskode. Har du ikke en konto i SSP-samarbejde, så kontakt "
                "din administrator."
            )
            % {"provider": settings.OIDC_PROVIDER_NAME},
        )
        return redirect("login")


@never_cache
def authenticate(request: HttpRequest) -> HttpResponse:
    """Send the browser to the identity provider."""
    if not settings.OIDC_ENABLED:
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


@never_cache
def callback(request: HttpRequest) -> HttpResponse:
    if not settings.OIDC_ENABLED:
        raise Http404
    return CallbackView.as_view()(request)
