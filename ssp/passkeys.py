"""Passkeys (WebAuthn) as a second factor next to the authenticator app, on django-otp-webauthn.

A passkey proves the second step of signing in, like a code from the app, and is the
phishing-resistant one: the browser gives it only to this site's own address. It never signs
anyone in alone (`OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN` is off): the password step comes first,
and the passkey must be one of that user's.

Adding one needs a signed-in session and, within the last few minutes, a code from the app
(`passkey_enrolment_allow`), so a session left open on a shared computer cannot put someone
else's key on the account. The user is emailed when a passkey is added or removed; an
administrator's reset of the second factor removes every passkey too
(`ssp.two_factor.second_factor_reset`).
"""

from __future__ import annotations

import time

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp_webauthn.models import WebAuthnCredential

from ssp.audit import audit_log
from ssp.models import AuditAction, User
from ssp.services import security_notice_send

ENROLMENT_SESSION_KEY = "ssp_passkey_enrol_until"
ENROLMENT_SECONDS = 300


def passkeys_of(user: User) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


def has_passkey(user: User) -> bool:
    return passkeys_of(user).exists()


def passkey_enrolment_allow(request: HttpRequest) -> None:
    """The user proved the app in this session: they may add a passkey for a few minutes."""
    request.session[ENROLMENT_SESSION_KEY] = int(time.time()) + ENROLMENT_SECONDS


def passkey_enrolment_allowed(request: HttpRequest) -> bool:
    return request.session.get(ENROLMENT_SESSION_KEY, 0) > time.time()


@transaction.atomic
def passkey_added(*, user: User, passkey: WebAuthnCredential) -> None:
    """Name the new passkey, log it and tell the user by email."""
    passkey.name = passkey.name or _("Adgangsnøgle")
    passkey.save(update_fields=["name"])
    audit_log(user=user, action=AuditAction.CREATE, obj=passkey, purpose="Adgangsnøgle tilføjet")
    security_notice_send(
        user=user,
        what=_("Der blev tilføjet en adgangsnøgle til totrinslogin på din konto."),
    )


@transaction.atomic
def passkey_remove(*, user: User, passkey: WebAuthnCredential) -> None:
    """Remove one of the user's own passkeys (the caller found it among `passkeys_of`)."""
    if passkey.user_id != user.pk:
        raise PermissionError("a passkey is removed only by its owner")
    audit_log(user=user, action=AuditAction.DELETE, obj=passkey, purpose="Adgangsnøgle fjernet")
    passkey.delete()
    security_notice_send(
        user=user,
        what=_("En adgangsnøgle blev fjernet fra totrinslogin på din konto."),
    )


def passkeys_remove_all(*, user: User) -> int:
    """Every passkey of the user (the administrator's reset); returns how many."""
    deleted, _rows = WebAuthnCredential.objects.filter(user=user).delete()
    return deleted
