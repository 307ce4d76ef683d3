"""Emails about concerns. They carry no names, CPR numbers or case text: only a link.

They go through the outbox (`ssp.notify.mail`): sent after the transaction that caused them
commits, so a rolled-back submission never mails anyone.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from cases.models import Concern
from cases.permissions import CONCERN_RECIPIENT_ROLES
from forum.absences import consultants_of, stand_in_for
from forum.models import Membership
from ssp.models import User
from ssp.notify.mail import email_send


def _consultants(municipality_id: int) -> list[str]:
    """The consultants at work today; an absent one's stand-in instead (`forum.absences`)."""
    ids = stand_in_for(
        consultants_of(municipality_id).values_list("pk", flat=True), municipality_id
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).values_list("email", flat=True))


def _members(body_id: int | None, *, roles: tuple[str, ...] | None = None) -> list[str]:
    if body_id is None:
        return []
    memberships = Membership.objects.filter(body_id=body_id, person__user__is_active=True)
    if roles:
        memberships = memberships.filter(Q(role__in=roles))
    return list(memberships.values_list("person__user__email", flat=True))


def _send(concern: Concern, recipients: list[str], template: str, subject: str) -> None:
    recipients = sorted({email for email in recipients if email} - {concern.author.email})
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            template,
            {
                "url": f"{settings.SSP_BASE_URL}{concern.get_absolute_url()}",
                "site_name": settings.SSP_SITE_NAME,
                "urgency": concern.get_urgency_display(),
            },
        )
        subject_text = f"{settings.SSP_SITE_NAME}: {subject}"
    email_send(to=recipients, subject=subject_text, body=body)


def concern_submitted(concern: Concern) -> None:
    recipients = _consultants(concern.municipality_id) + _members(
        concern.school_team_id, roles=CONCERN_RECIPIENT_ROLES
    )
    _send(concern, recipients, "cases/email/concern_submitted.txt", _("Ny bekymring"))


def concern_routed(concern: Concern) -> None:
    _send(
        concern,
        _members(concern.routed_to_id),
        "cases/email/concern_routed.txt",
        _("En bekymring er sendt til jeres gruppe"),
    )
