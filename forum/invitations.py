"""Inviting an existing account to join a municipality (`forum.models.MunicipalityInvitation`):
the row and the "you are invited to join" email. Accepting and declining are in
`forum.services`, which grants the roles."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import InvitationStatus, MunicipalityInvitation, Person
from ssp.models import User
from ssp.notify.mail import email_send


def invitation_send(
    *,
    person: Person,
    user: User,
    is_ssp_consultant: bool = False,
    is_administrator: bool = False,
    invited_by: User | None = None,
) -> MunicipalityInvitation:
    """Record the invitation and email the account's owner, once the transaction commits.

    Like the invitation to a new address, the email names no young person and no case: only
    the municipality, who invited, the roles and where to answer (signed in).
    """
    invitation = MunicipalityInvitation.objects.create(
        municipality=person.municipality,
        person=person,
        user=user,
        is_ssp_consultant=is_ssp_consultant,
        is_administrator=is_administrator,
        invited_by=invited_by,
    )
    invitation_mail(invitation)
    return invitation


def invitation_mail(invitation: MunicipalityInvitation) -> None:
    """Email the invitation to its account's owner (again, when resent), once the transaction
    commits."""
    context = {
        "user": invitation.user,
        "invitation": invitation,
        "municipality": invitation.municipality,
        "invited_by": invitation.invited_by,
        "roles": invitation_roles(invitation),
        "url": f"{settings.SSP_BASE_URL}{reverse('forum:invitations')}",
        "service_name": settings.SSP_SITE_NAME,
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("forum/email/invitation_subject.txt", context).strip()
    body = render_to_string("forum/email/invitation_email.txt", context)
    email_send(to=[invitation.user.email], subject=subject, body=body)


def invitation_roles(invitation: MunicipalityInvitation) -> list[str]:
    """The roles the invitation gives, in words ("Medarbejder" when none)."""
    fields = MunicipalityInvitation._meta
    names = [
        str(fields.get_field(name).verbose_name)
        for name in ("is_administrator", "is_ssp_consultant")
        if getattr(invitation, name)
    ]
    roles = [name[:1].upper() + name[1:] for name in names]
    return roles or [str(_("Medarbejder uden særlige roller"))]


def invitations_open_for(user: User) -> QuerySet[MunicipalityInvitation]:
    """The invitations the user may still answer, newest first."""
    cutoff = timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return (
        MunicipalityInvitation.objects.filter(
            user=user, status=InvitationStatus.PENDING, created_at__gt=cutoff
        )
        .select_related("municipality", "person", "invited_by")
        .order_by("-created_at")
    )
