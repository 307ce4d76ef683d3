"""Writes that belong to the shared core: inviting a user, emails about one's own sign-in,
lifting a login lock."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ssp.models import User


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
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )


def security_email_send(
    *,
    user: User,
    subject: str,
    template: str,
    context: dict | None = None,
    on_commit: bool = True,
) -> None:
    """Email the user about their own sign-in: a code, or a notice that something changed.

    Such an email names no young person and no case. `on_commit` sends it once the
    transaction commits (a notice of a change that might still roll back), and a mail server
    that fails then is logged, not an error for a change already made; otherwise it is sent
    now, raising what the mail server raises.
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

    def send() -> None:
        send_mail(
            f"{settings.SSP_SITE_NAME}: {subject}", body, settings.DEFAULT_FROM_EMAIL, [user.email]
        )

    if on_commit:
        transaction.on_commit(send, robust=True)
    else:
        send()


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
