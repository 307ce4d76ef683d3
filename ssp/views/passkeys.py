"""Passkeys: django-otp-webauthn's JSON ceremony views, fitted to the app's two-step sign-in
(`ssp.passkeys`), and the account page's forms to allow adding one and to remove one.

Registration is for a signed-in user who has just proved the app (`passkey_enrolment_allowed`).
Authentication is the second step of signing in: the user is the one half-way through it
(`pending_login_user`), never someone found from the credential, and success signs them in
through `ssp.two_factor.sign_in`, like a code from the app.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from ssp.forms import RecoveryCodesForm
from ssp.models import User
from ssp.passkeys import (
    passkey_added,
    passkey_enrolment_allow,
    passkey_enrolment_allowed,
    passkey_remove,
    passkeys_of,
)
from ssp.two_factor import (
    SECOND_FACTOR_SESSION_KEY,
    SecondFactor,
    Verification,
    pending_login_clear,
    pending_login_next,
    pending_login_user,
    second_factor_verify,
    sign_in,
)
from ssp.views.auth import locked_out


class EnrolmentNotAllowed(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "enrolment_not_allowed"
    default_detail = gettext_lazy(
        "Skriv en kode fra din godkendelsesapp først; derefter har du fem minutter til at "
        "tilføje adgangsnøglen."
    )


class NoSignInUnderWay(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "no_sign_in"
    default_detail = gettext_lazy("Log ind med din adgangskode først.")


class AccountLocked(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "locked"
    default_detail = gettext_lazy("Kontoen er midlertidigt spærret efter for mange forsøg.")


class _Registration:
    """Signed in with both factors (the session says how) and the app proved just now."""

    def _check_user_verified(self, user: User) -> None:
        if SECOND_FACTOR_SESSION_KEY not in self.request.session:  # type: ignore[attr-defined]
            raise exceptions.NotVerified()

    def check_can_register(self) -> None:
        if not passkey_enrolment_allowed(self.request):  # type: ignore[attr-defined]
            raise EnrolmentNotAllowed()


class RegistrationBegin(_Registration, BeginCredentialRegistrationView):
    pass


class RegistrationComplete(_Registration, CompleteCredentialRegistrationView):
    def post(self, *args: object, **kwargs: object) -> JsonResponse:
        user = self.get_user()
        state = self.get_state()
        with rewrite_exceptions(logger=None):
            passkey = self.get_helper().register_complete(
                user=user, state=state, data=self.request.data
            )
        passkey_added(user=user, passkey=passkey)
        return JsonResponse({"id": passkey.pk})


class _Authentication:
    """The second step of signing in: the user half-way through it, not yet locked out."""

    def get_user(self) -> User | None:
        return pending_login_user(self.request)  # type: ignore[attr-defined]

    def check_can_authenticate(self) -> None:
        user = self.get_user()
        if user is None:
            raise NoSignInUnderWay()
        credentials = {settings.AXES_USERNAME_FORM_FIELD: user.email}
        if AxesProxyHandler.is_locked(self.request, credentials):  # type: ignore[attr-defined]
            pending_login_clear(self.request)  # type: ignore[attr-defined]
            raise AccountLocked()


class AuthenticationBegin(_Authentication, BeginCredentialAuthenticationView):
    pass


class AuthenticationComplete(_Authentication, CompleteCredentialAuthenticationView):
    def post(self, *args: object, **kwargs: object) -> JsonResponse:
        user = self.get_user()
        state = self.get_state()
        try:
            with rewrite_exceptions(logger=None):
                passkey = self.get_helper().authenticate_complete(
                    user=user, state=state, data=self.request.data
                )
            self.check_device_usable(passkey)
        except exceptions.OTPWebAuthnApiError:
            # A failed passkey counts towards the lockout, like a wrong code.
            credentials = {settings.AXES_USERNAME_FORM_FIELD: user.email}
            user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            raise
        next_url = pending_login_next(self.request) or settings.LOGIN_REDIRECT_URL
        sign_in(self.request, user=user, method=SecondFactor.PASSKEY)
        return JsonResponse({"id": passkey.pk, "redirect_url": _safe(self.request, next_url)})


def _safe(request: HttpRequest, url: str) -> str:
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return resolve_url(url)
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
@require_POST
@sensitive_post_parameters("code")
def enrolment_allow(request: HttpRequest) -> HttpResponse:
    """A code from the app opens five minutes in which this session may add a passkey."""
    form = RecoveryCodesForm(request.POST, prefix="passkey")
    if form.is_valid():
        result = second_factor_verify(
            request, user=request.user, token=form.cleaned_data["code"], recovery_codes=False
        )
        if result.outcome is Verification.LOCKED:
            logout(request)
            return locked_out(request)
        if result.outcome is Verification.ACCEPTED:
            passkey_enrolment_allow(request)
            messages.success(
                request, _("Tryk på “Tilføj adgangsnøgle”, og følg din browsers anvisninger.")
            )
            return redirect(f"{_account_url()}#adgangsnoegler")
    messages.error(request, _("Koden er forkert eller udløbet. Prøv igen."))
    return redirect(f"{_account_url()}#adgangsnoegler")


@never_cache
@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the user's own passkeys; anyone else's is not there (404)."""
    passkey = get_object_or_404(passkeys_of(request.user), pk=pk)
    passkey_remove(user=request.user, passkey=passkey)
    messages.success(request, _("Adgangsnøglen er fjernet."))
    return redirect(f"{_account_url()}#adgangsnoegler")


def _account_url() -> str:
    return reverse("two_factor_recovery_codes")


# The JSON endpoints keep django-otp-webauthn's names, which its template tags and scripts use;
# the package's views are never_cache already.
api_urlpatterns = [
    path(
        "registrering/start/",
        RegistrationBegin.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registrering/afslut/",
        RegistrationComplete.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "login/start/",
        AuthenticationBegin.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "login/afslut/",
        AuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
