"""Writes that belong to the shared core: inviting a user, emails about one's own sign-in,
lifting a login lock."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ssp.models import User
from ssp.notify.mail import email_send


def password_set_url(user: User) -> str:
    """An absolute, single-use link where the user chooses a new password."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SSP_BASE_URL}{path}"


def user_invite(*, user: User, invited_by: User | None = None) -> None:
    """Email a new user a link to choose their password, once the transaction commits.

    The email names no young person and no case, only the service and the link.
    """
    context = {
        "user": user,
        "invited_by": invited_by,
        "url": password_set_url(user),
        "service_name": settings.SSP_SITE_NAME,
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("registration/invitation_subject.txt", context).strip()
    body = render_to_string("registration/invitation_email.txt", context)
    email_send(to=[user.email], subject=subject, body=body)


def security_email_send(
    *, user: User, subject: str, template: str, context: dict | None = None
) -> None:
    """Email the user about their own sign-in: a code, or a notice that something changed.

    Such an email names no young person and no case. Like every email it goes through the
    outbox: sent once the transaction commits, so a notice of a change that rolls back is
    never sent, and a mail server that is down delays it rather than failing the change.
    """
    body = render_to_string(
        template,
        {
            "user": user,
            "service_name": settings.SSP_SITE_NAME,
            "base_url": settings.SSP_BASE_URL,
            **(context or {}),
        },
    )
    email_send(to=[user.email], subject=f"{settings.SSP_SITE_NAME}: {subject}", body=body)


def security_notice_send(*, user: User, what: str) -> None:
    """Tell the user, by email, that their sign-in changed (ASVS: notify of changes to
    authentication details), so a change they did not make comes to light."""
    security_email_send(
        user=user,
        subject=_("Ændring af dit login"),
        template="registration/security_notice_email.txt",
        context={"what": what},
    )


def login_lock_lift(*, user: User) -> None:
    """Forget the user's failed logins, so a locked account can sign in again."""
    axes_reset(username=user.email.lower())
