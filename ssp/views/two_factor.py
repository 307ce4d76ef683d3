"""The second step of signing in, setting up the authenticator app, and recovery codes."""

from __future__ import annotations

import base64
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from ssp.forms import (
    AuthenticatorSetupForm,
    EmailCodeForm,
    RecoveryCodesForm,
    SecondFactorForm,
)
from ssp.models import EncryptedTOTPDevice, User
from ssp.passkeys import has_passkey, passkey_enrolment_allowed, passkeys_of
from ssp.two_factor import (
    SECOND_FACTOR_SESSION_KEY,
    SecondFactor,
    Verification,
    authenticator_of,
    enrolment_confirm,
    enrolment_device,
    enrolment_email_code_send,
    enrolment_email_code_sent,
    enrolment_email_code_verify,
    enrolment_email_code_wait,
    enrolment_email_proven,
    pending_login_clear,
    pending_login_next,
    pending_login_user,
    recovery_code_sign_in_notify,
    recovery_codes_left,
    recovery_codes_renew,
    second_factor_verify,
    sign_in,
    throttle_seconds,
)
from ssp.views.auth import locked_out

# Recovery codes made in this request are shown once, on the next page, then forgotten.
NEW_CODES_SESSION_KEY = "ssp_new_recovery_codes"
AFTER_CODES_SESSION_KEY = "ssp_after_recovery_codes"


def _start_again(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Log ind igen: der gik for lang tid, eller du var ikke logget ind."))
    return redirect("login")


def _next_url(request: HttpRequest) -> str:
    target = pending_login_next(request)
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step two: a code from the authenticator app, or a recovery code."""
    user = pending_login_user(request)
    if user is None:
        return _start_again(request)
    if authenticator_of(user) is None:
        return redirect("two_factor_setup")
    form = SecondFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = second_factor_verify(request, user=user, token=form.cleaned_data["code"])
        if result.outcome is Verification.LOCKED:
            pending_login_clear(request)
            return locked_out(request)
        if result.outcome is Verification.ACCEPTED:
            next_url = _next_url(request)
            sign_in(request, user=user, method=result.method)
            if result.method is SecondFactor.RECOVERY_CODE:
                recovery_code_sign_in_notify(user=user)
                messages.warning(
                    request,
                    _(
                        "Du loggede ind med en gendannelseskode; den kan ikke bruges igen. "
                        "Du har %(count)s tilbage."
                    )
                    % {"count": recovery_codes_left(user)},
                )
            return redirect(next_url)
        if result.outcome is Verification.THROTTLED:
            form.add_error("code", _wait_message(result.wait_seconds))
        else:
            form.add_error("code", _("Koden er forkert eller udløbet. Prøv igen."))
        status = 422
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "email": user.email, "has_passkey": has_passkey(user)},
        status=status,
    )


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: set up the authenticator app, confirm it with a code, get recovery codes."""
    user = pending_login_user(request)
    if user is None:
        return _start_again(request)
    if authenticator_of(user) is not None:
        return redirect("two_factor_verify")
    if not enrolment_email_proven(request):
        return _email_code_step(request, user)
    device = enrolment_device(request, user)
    form = AuthenticatorSetupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and (wait := throttle_seconds(device)):
            form.add_error("code", _wait_message(wait))
        elif form.is_valid():
            codes = enrolment_confirm(user=user, device=device, token=form.cleaned_data["code"])
            if codes is not None:
                next_url = _next_url(request)
                sign_in(request, user=user, method=SecondFactor.TOTP)
                request.session[NEW_CODES_SESSION_KEY] = codes
                request.session[AFTER_CODES_SESSION_KEY] = next_url
                return redirect("two_factor_recovery_codes")
            form.add_error(
                "code",
                _("Koden passer ikke. Tjek, at du har skannet den viste QR-kode, og prøv igen."),
            )
    context = {
        "form": form,
        "qr_code": _qr_data_url(device),
        "secret": _grouped_secret(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "email": user.email,
    }
    return render(request, "registration/two_factor_setup.html", context, status=status)


def _email_code_step(request: HttpRequest, user: User) -> HttpResponse:
    """Before the QR code: the code emailed to the user, so a password alone never puts a
    phone on an account (`ssp.two_factor.enrolment_email_proven`). The first visit sends it;
    "Send en ny kode" sends another, at most once a minute."""
    resend = request.method == "POST" and request.POST.get("action") == "resend"
    form = EmailCodeForm(None if resend or request.method == "GET" else request.POST)
    status = 200
    if resend or not enrolment_email_code_sent(request):
        if wait := enrolment_email_code_wait(request):
            messages.info(request, _wait_message(wait))
        else:
            # Queued in the outbox, never sent inside the request: a mail server that is away
            # delays the code, and the page still says it is on its way.
            enrolment_email_code_send(request, user)
            if resend:
                messages.success(request, _("Vi har sendt en ny kode. Den gamle virker ikke mere."))
        if resend:
            return redirect("two_factor_setup")
    elif request.method == "POST":
        status = 422
        if form.is_valid():
            outcome = enrolment_email_code_verify(
                request, user=user, code=form.cleaned_data["code"]
            )
            if outcome is Verification.LOCKED:
                pending_login_clear(request)
                return locked_out(request)
            if outcome is Verification.ACCEPTED:
                return redirect("two_factor_setup")
            form.add_error("code", _("Koden passer ikke. Brug koden fra den nyeste e-mail."))
    context = {"form": form, "email": user.email, "sent": enrolment_email_code_sent(request)}
    return render(request, "registration/two_factor_email_code.html", context, status=status)


@never_cache
@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The user's sign-in security: new recovery codes (shown once) and how many are left.

    New codes need a code from the app; a wrong one counts towards the lockout, and a locked
    account is signed out.
    """
    user = request.user
    authenticator = authenticator_of(user)
    form = RecoveryCodesForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and authenticator is None:
            form.add_error(None, _("Sæt en godkendelsesapp op, før du laver gendannelseskoder."))
        elif form.is_valid():
            result = second_factor_verify(
                request, user=user, token=form.cleaned_data["code"], recovery_codes=False
            )
            if result.outcome is Verification.LOCKED:
                logout(request)
                return locked_out(request)
            if result.outcome is Verification.ACCEPTED:
                request.session[NEW_CODES_SESSION_KEY] = recovery_codes_renew(user=user)
                messages.success(
                    request, _("Du har fået nye gendannelseskoder. De gamle virker ikke mere.")
                )
                return redirect("two_factor_recovery_codes")
            if result.outcome is Verification.THROTTLED:
                form.add_error("code", _wait_message(result.wait_seconds))
            else:
                form.add_error("code", _("Koden er forkert eller udløbet. Prøv igen."))
    context = {
        "form": form,
        "new_codes": request.session.pop(NEW_CODES_SESSION_KEY, None),
        "continue_url": request.session.pop(AFTER_CODES_SESSION_KEY, None),
        "codes_left": recovery_codes_left(user),
        "authenticator": authenticator,
        "second_factor": request.session.get(SECOND_FACTOR_SESSION_KEY),
        "passkeys": passkeys_of(user),
        "passkey_enrolment_allowed": passkey_enrolment_allowed(request),
        "passkey_form": RecoveryCodesForm(prefix="passkey"),
    }
    return render(request, "registration/two_factor_recovery_codes.html", context, status=status)


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Vent %(seconds)s sekund, før du prøver igen.",
        "Vent %(seconds)s sekunder, før du prøver igen.",
        seconds,
    ) % {"seconds": seconds}


def _qr_data_url(device: EncryptedTOTPDevice) -> str:
    """The otpauth:// link as a QR code in an SVG data URL (the CSP allows data: images and no
    inline markup with styles)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _grouped_secret(device: EncryptedTOTPDevice) -> str:
    """The secret for typing into an app by hand, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
