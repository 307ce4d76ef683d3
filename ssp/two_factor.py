"""Two-factor sign-in on django-otp: an authenticator app (TOTP) and single-use recovery codes.

Signing in takes two steps. The password step (or an identity provider that did not vouch for a
second factor) only records in the session who passed it (`pending_login_start`). The user is
signed in, with Django's `login()`, only when the second step has verified a code from their
authenticator app or a recovery code (`sign_in`). Until then the session is anonymous, so no
page can be reached with the password alone. A user without an app sets one up in between:
that is the guided enrolment on first sign-in. It needs the work mailbox as well as the
password (an emailed code, or the invitation link the password was chosen through), so a
leaked password cannot put someone else's phone on an account that has none yet.

Users are emailed when their app, recovery codes or second factor change, and when a recovery
code signs them in (`ssp.services.security_notice_send`).

Wrong codes count as failed logins for django-axes, so the lockout after LOGIN_FAILURE_LIMIT
failures covers both factors; a correct password does not reset the count, because axes resets
it on `user_logged_in`, which only the completed second step sends.

Every signed-in session carries `SECOND_FACTOR_SESSION_KEY` (how the second factor was proven);
`ssp.middleware.TwoFactorMiddleware` ends any session without it.
"""

from __future__ import annotations

import enum
import re
import secrets
import time
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from ssp.audit import audit_log
from ssp.models import AuditAction, EncryptedTOTPDevice, User
from ssp.passkeys import passkeys_remove_all
from ssp.services import security_email_send, security_notice_send

PENDING_SESSION_KEY = "ssp_pending_login"
SECOND_FACTOR_SESSION_KEY = "ssp_second_factor"
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6
DEVICE_NAME = "Godkendelsesapp"
EMAIL_CODE_DIGITS = 8
EMAIL_CODE_RESEND_SECONDS = 60

_SEPARATORS = re.compile(r"[\s-]+")


class SecondFactor(enum.StrEnum):
    """How a session's second factor was proven (stored in the session)."""

    TOTP = "totp"
    PASSKEY = "passkey"
    RECOVERY_CODE = "recovery"
    IDENTITY_PROVIDER = "oidc"


class Verification(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"
    LOCKED = "locked"


@dataclass(frozen=True)
class VerifyResult:
    outcome: Verification
    method: SecondFactor | None = None
    wait_seconds: int = 0


# The half-way state between the two steps.


def pending_login_start(
    request: HttpRequest, *, user: User, next_url: str = "", email_proven: bool = False
) -> None:
    """Remember that `user` passed the first step; they are not signed in yet.

    `email_proven`: this sign-in has also shown control of the user's work mailbox (the
    password link from an invitation, or an identity provider that vouched for the address),
    so setting up an authenticator needs no emailed code (`enrolment_email_proven`).
    """
    request.session.cycle_key()
    request.session[PENDING_SESSION_KEY] = {
        "user_id": user.pk,
        # A password change or a second-factor reset meanwhile ends the half-way state too.
        "auth_hash": user.get_session_auth_hash(),
        "next": next_url,
        "at": int(time.time()),
        "email_proven": email_proven,
    }


def pending_login_user(request: HttpRequest) -> User | None:
    """The user half-way through signing in, or None (never started, or too long ago)."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending:
        return None
    if time.time() - pending["at"] > settings.TWO_FACTOR_PENDING_SECONDS:
        pending_login_clear(request)
        return None
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is None or not constant_time_compare(
        pending.get("auth_hash", ""), user.get_session_auth_hash()
    ):
        pending_login_clear(request)
        return None
    return user


def pending_login_next(request: HttpRequest) -> str:
    return (request.session.get(PENDING_SESSION_KEY) or {}).get("next", "")


def pending_login_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def sign_in(request: HttpRequest, *, user: User, method: SecondFactor) -> None:
    """Sign the user in, now that both factors are proven."""
    pending_login_clear(request)
    # The model backend keeps the session whichever backend checked the first factor: it only
    # loads the user by id, and needs no identity provider on later requests.
    login(request, user, backend=SESSION_BACKEND)
    request.session[SECOND_FACTOR_SESSION_KEY] = method.value


# Devices.


def authenticator_of(user: User) -> EncryptedTOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def enrolment_email_proven(request: HttpRequest) -> bool:
    """Whether this half-way sign-in may set up an authenticator.

    A password alone is not enough: whoever learnt it (phishing, a shared note) could
    otherwise put their own phone on an account that has none yet, after an administrator's
    reset or before its first sign-in. The emailed code (`enrolment_email_code_send`) proves
    the work mailbox as well.
    """
    return bool(request.session[PENDING_SESSION_KEY].get("email_proven"))


def enrolment_email_code_wait(request: HttpRequest) -> int:
    """Seconds before another emailed code may be sent in this sign-in (0: now)."""
    sent_at = request.session[PENDING_SESSION_KEY].get("email_code_sent_at")
    if sent_at is None:
        return 0
    return max(0, int(sent_at + EMAIL_CODE_RESEND_SECONDS - time.time() + 0.999))


def enrolment_email_code_sent(request: HttpRequest) -> bool:
    return "email_code_sent_at" in request.session[PENDING_SESSION_KEY]


def enrolment_email_code_send(request: HttpRequest, user: User) -> None:
    """Email the user a single-use code for setting up their authenticator in this sign-in.

    Only its keyed hash is kept, in the half-way session, which lasts
    `TWO_FACTOR_PENDING_MINUTES`; a new code replaces the one before. The email goes through
    the outbox like every other, so the page never waits for the mail server: a server that
    is away delays the code (tried again with backoff) instead of failing the sign-in.
    """
    code = f"{secrets.randbelow(10**EMAIL_CODE_DIGITS):0{EMAIL_CODE_DIGITS}d}"
    pending = request.session[PENDING_SESSION_KEY]
    security_email_send(
        user=user,
        subject=_("Din kode til at sætte totrinslogin op"),
        template="registration/two_factor_email_code_email.txt",
        context={
            "code": f"{code[:4]} {code[4:]}",
            "valid_minutes": settings.TWO_FACTOR_PENDING_SECONDS // 60,
        },
    )
    request.session[PENDING_SESSION_KEY] = {
        **pending,
        "email_code": _email_code_hash(pending, code),
        "email_code_sent_at": int(time.time()),
    }


def enrolment_email_code_verify(request: HttpRequest, *, user: User, code: str) -> Verification:
    """Check the emailed code. A wrong one is a failed login for django-axes, like a wrong
    password or app code; the right one is used up."""
    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        return Verification.LOCKED
    pending = request.session[PENDING_SESSION_KEY]
    expected = pending.get("email_code")
    if expected and constant_time_compare(expected, _email_code_hash(pending, _normalise(code))):
        request.session[PENDING_SESSION_KEY] = {
            **{k: v for k, v in pending.items() if k != "email_code"},
            "email_proven": True,
        }
        return Verification.ACCEPTED
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        return Verification.LOCKED
    return Verification.WRONG


def _email_code_hash(pending: dict, code: str) -> str:
    """Bound to the user and this sign-in, so a code from another sign-in never fits."""
    value = f"{pending['user_id']}:{pending['at']}:{code}"
    return salted_hmac("ssp.two_factor.email_code", value, algorithm="sha256").hexdigest()


def enrolment_device(request: HttpRequest, user: User) -> EncryptedTOTPDevice:
    """The not yet confirmed authenticator this sign-in is setting up.

    The same one on every visit of this half-way session, so reloading the page keeps the QR
    code the user may already have scanned; a new one for every other sign-in, so a secret
    someone else saw on an abandoned set-up page never becomes the user's.
    """
    pending = request.session[PENDING_SESSION_KEY]
    device = EncryptedTOTPDevice.objects.filter(
        pk=pending.get("device_id"), user=user, confirmed=False
    ).first()
    if device is None:
        EncryptedTOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = EncryptedTOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        request.session[PENDING_SESSION_KEY] = {**pending, "device_id": device.pk}
    return device


@transaction.atomic
def enrolment_confirm(*, user: User, device: EncryptedTOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; returns the new recovery codes.

    None when the code is wrong or comes during django-otp's pause after a wrong one
    (`throttle_seconds`; the device stays unconfirmed). A confirmed device replaces any
    earlier one, and the recovery codes are made anew.
    """
    if device.user_id != user.pk or not device.verify_token(_normalise(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    EncryptedTOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = recovery_codes_replace(user=user)
    audit_log(user=user, action=AuditAction.CREATE, obj=device, purpose="Totrinslogin sat op")
    security_notice_send(
        user=user,
        what=_("Den %(when)s blev der sat en godkendelsesapp op til totrinslogin på din konto.")
        % {"when": _now_text()},
    )
    return codes


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """Make a new set of single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Gendannelseskoder", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes that the user asked for; they are told by email."""
    codes = recovery_codes_replace(user=user)
    security_notice_send(
        user=user,
        what=_("Den %(when)s fik din konto nye gendannelseskoder. De gamle virker ikke mere.")
        % {"when": _now_text()},
    )
    return codes


def recovery_code_sign_in_notify(*, user: User) -> None:
    """Signing in with a recovery code is unusual: the user is told by email."""
    security_notice_send(
        user=user,
        what=_("Den %(when)s loggede nogen ind på din konto med en af dine gendannelseskoder.")
        % {"when": _now_text()},
    )


def _now_text() -> str:
    return formats.date_format(timezone.localtime(), "DATETIME_FORMAT")


@transaction.atomic
def second_factor_reset(*, user: User, by: User) -> None:
    """Remove the user's authenticator, passkeys and recovery codes and end their sessions (a
    lost phone or key). They set up a new app the next time they sign in. Logged."""
    EncryptedTOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    passkeys_remove_all(user=user)
    # In the database itself, so a concurrent save of a stale copy cannot undo it.
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    audit_log(user=by, action=AuditAction.DELETE, obj=user, purpose="Totrinslogin nulstillet")
    security_notice_send(
        user=user,
        what=_(
            "Den %(when)s nulstillede %(name)s totrinslogin på din konto. "
            "Næste gang du logger ind, sætter du en godkendelsesapp op igen."
        )
        % {"when": _now_text(), "name": by.full_name or by.email},
    )


# Verification.


def second_factor_verify(
    request: HttpRequest, *, user: User, token: str, recovery_codes: bool = True
) -> VerifyResult:
    """Check a code from the user's app, or one of their recovery codes (unless
    `recovery_codes` is False: a signed-in user proving they still hold the app).

    A wrong code is a failed login for django-axes (the lockout covers both factors); a
    locked account is refused before the code is looked at.
    """
    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        return VerifyResult(Verification.LOCKED)
    token = _normalise(token)
    # Six digits are the app's code; recovery codes are eight letters and digits.
    if token.isdigit() and len(token) == TOTP_DIGITS:
        device, method = authenticator_of(user), SecondFactor.TOTP
    elif not recovery_codes:
        device, method = None, SecondFactor.TOTP
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        method = SecondFactor.RECOVERY_CODE
    if device is not None:
        if wait := throttle_seconds(device):
            return VerifyResult(Verification.THROTTLED, wait_seconds=wait)
        if device.verify_token(token):
            return VerifyResult(Verification.ACCEPTED, method=method)
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        return VerifyResult(Verification.LOCKED)
    return VerifyResult(Verification.WRONG)


def throttle_seconds(device: Device) -> int:
    """How long django-otp's growing pause after a wrong code still lasts (0: none)."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    wait = details.get("locked_until") if details else None
    return max(1, int((wait.timestamp() - time.time()) + 0.999)) if wait else 1


def _normalise(token: str) -> str:
    return _SEPARATORS.sub("", token or "").lower()


def second_factor_step_url(user: User) -> str:
    """Where a user who passed the first step goes: their code, or setting up the app."""
    return reverse("two_factor_verify" if authenticator_of(user) else "two_factor_setup")
