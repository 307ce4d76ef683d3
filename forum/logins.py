"""Logins held back until the administrator sends the invitations, and invitations sent again.

`login_hold` records that a directory person is to have a login with the roles given, without
creating an account or sending anything (an import calls it for every row with a login). The
invitations go out only when an administrator says so (`held_logins_send`), through the one
way a login is given (`forum.people.person_login_give`) and the one mail owner.

Sending is split so that what an administrator can time is the same for every address: the
request checks each row (the same statements whether or not the address has an account
anywhere) and marks it queued; after the commit a task per row gives the login and deletes the
row in one transaction (`held_login_deliver`). A new address's account, affiliation and roles
take several more writes than an invitation to an existing account, and done in the request
that difference showed (about 15 ms). Rows are claimed `FOR UPDATE SKIP LOCKED` in both steps,
so two administrators sending at once, or a task run twice, send each login once; the sweep
hands over again a row whose task was lost.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.invitations import invitation_mail
from forum.login_models import HeldLogin
from forum.models import InvitationStatus, Municipality, MunicipalityInvitation, Person
from forum.people import person_create, person_login_check, person_login_give
from ssp.models import User
from ssp.services import user_invite

logger = logging.getLogger(__name__)

# A queued row still there after this long lost its task (a broker away, a worker killed).
REQUEUE_AFTER = timedelta(minutes=2)


@transaction.atomic
def login_hold(
    *,
    person: Person,
    is_ssp_consultant: bool = False,
    is_administrator: bool = False,
    by: User | None,
) -> HeldLogin:
    """Record (or update) the login `person` is to get. Refused for someone without a work
    email or who already has a login in the municipality."""
    if not person.email:
        raise ValidationError({"email": _("En person med login skal have en arbejdsmail.")})
    if person.user_id is not None:
        raise ValidationError({"email": _("Personen har allerede et login.")})
    held, _created = HeldLogin.objects.update_or_create(
        person=person,
        defaults={
            "is_ssp_consultant": is_ssp_consultant,
            "is_administrator": is_administrator,
            "created_by": by,
        },
    )
    return held


@dataclass
class SendResult:
    """What one press of "Send invitationer" did: the people whose invitation goes out now,
    and those refused, each with the reason in Danish."""

    sent: list[Person] = field(default_factory=list)
    refused: list[tuple[Person, str]] = field(default_factory=list)


@transaction.atomic
def held_logins_send(
    *, municipality: Municipality, by: User, held_ids: Iterable[int] | None = None
) -> SendResult:
    """Send the held logins of `municipality` (those in `held_ids`, or all of them) on behalf
    of the administrator `by`, who has been checked to administer it.

    Each row is checked now; a row refused (the consultant role for a sector that does not
    handle cases, an address already another person's login in the municipality, no work
    email) stays held with its reason, and the others go out. Rows another administrator is
    sending at this moment, or already sent, are left alone."""
    rows = (
        HeldLogin.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(person__municipality=municipality, queued_at__isnull=True)
        .select_related("person", "person__municipality")
        .order_by("person__full_name", "pk")
    )
    if held_ids is not None:
        rows = rows.filter(pk__in=list(held_ids))
    result = SendResult()
    queued: list[int] = []
    now = timezone.now()
    for held in rows:
        try:
            _check(held, by=by)
        except ValidationError as error:
            held.refusal = " ".join(error.messages)
            held.save(update_fields=["refusal"])
            result.refused.append((held.person, held.refusal))
            continue
        held.queued_at, held.queued_by, held.refusal = now, by, ""
        held.save(update_fields=["queued_at", "queued_by", "refusal"])
        result.sent.append(held.person)
        queued.append(held.pk)
    transaction.on_commit(partial(_enqueue, queued), robust=True)
    return result


@transaction.atomic
def person_create_invited(
    *,
    municipality: Municipality,
    invited_by: User,
    with_login: bool = False,
    is_ssp_consultant: bool = False,
    is_administrator: bool = False,
    **fields: Any,
) -> Person:
    """ "Opret person": add someone to the directory and, with `with_login`, send their login
    at once, through the same two steps as a held login, so that the administrator's request
    takes the same time whether or not the address has an account elsewhere. A login refused
    is refused before anything is saved, with the field to correct."""
    person = person_create(municipality=municipality, **fields)
    if not with_login:
        return person
    person_login_check(person=person, is_ssp_consultant=is_ssp_consultant, invited_by=invited_by)
    held = login_hold(
        person=person,
        is_ssp_consultant=is_ssp_consultant,
        is_administrator=is_administrator,
        by=invited_by,
    )
    held_logins_send(municipality=municipality, by=invited_by, held_ids=[held.pk])
    return person


def _check(held: HeldLogin, *, by: User | None) -> None:
    if held.person.user_id is not None:
        raise ValidationError(_("Personen har allerede et login."))
    person_login_check(person=held.person, is_ssp_consultant=held.is_ssp_consultant, invited_by=by)


def _enqueue(ids: list[int]) -> None:
    """Hand the rows to workers; if the broker is away the sweep hands them over later."""
    from forum.tasks import deliver_held_login

    for pk in ids:
        try:
            deliver_held_login.delay(pk)
        except Exception:  # any broker failure: the sweep retries
            logger.warning("Could not enqueue held login %s; the sweep will", pk, exc_info=True)
            return


@transaction.atomic
def held_login_deliver(*, held_id: int) -> bool:
    """Give the queued held login its login and delete the row, in one transaction; True when
    it was sent. A row gone, not queued, or being sent by another worker is left alone. A row
    refused now (the directory changed since it was queued) goes back to waiting with the
    reason, for the administrator to see on the page of waiting invitations."""
    held = (
        HeldLogin.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=held_id, queued_at__isnull=False)
        .select_related("person", "person__municipality", "queued_by")
        .first()
    )
    if held is None:
        return False
    try:
        with transaction.atomic():
            if held.person.user_id is not None:
                raise ValidationError(_("Personen har allerede et login."))
            person_login_give(
                person=held.person,
                is_ssp_consultant=held.is_ssp_consultant,
                is_administrator=held.is_administrator,
                invited_by=held.queued_by,
            )
            held.delete()
    except ValidationError as error:
        held.queued_at, held.refusal = None, " ".join(error.messages)
        held.save(update_fields=["queued_at", "refusal"])
        return False
    return True


def held_logins_sweep() -> int:
    """Hand over again the queued rows whose task was lost; returns how many."""
    cutoff = timezone.now() - REQUEUE_AFTER
    ids = list(
        HeldLogin.objects.filter(queued_at__lt=cutoff).order_by("pk").values_list("pk", flat=True)
    )
    # Stamped anew, so a row is handed over once per period while no worker takes it, not
    # once a minute.
    HeldLogin.objects.filter(pk__in=ids).update(queued_at=timezone.now())
    _enqueue(ids)
    return len(ids)


@transaction.atomic
def login_resend(*, person: Person, by: User) -> None:
    """Send the person's invitation again: a fresh password link to a new account whose owner
    has not chosen a password or signed in, or the invitation again to an existing account
    that has not accepted (a declined one is invited anew, since the administrator cannot
    know it was declined). The administrator sees the same either way. Refused, with a
    message to act on, for a login in use, a login still held, or no login at all."""
    held = HeldLogin.objects.filter(person=person).first()
    if held is not None:
        if held.queued_at is not None:
            raise ValidationError(_("Invitationen er på vej og sendes om et øjeblik."))
        raise ValidationError(
            _(
                "Invitationen er ikke sendt endnu. Send den fra listen over invitationer, "
                "der venter."
            )
        )
    if person.user_id is not None:
        user = User.objects.select_for_update().get(pk=person.user_id)
        if user.last_login is not None or user.has_usable_password():
            raise ValidationError(
                _("%(name)s har allerede taget sit login i brug.") % {"name": person.full_name}
            )
        user_invite(user=user, invited_by=by)
        return
    invitation = (
        MunicipalityInvitation.objects.select_for_update(of=("self",))
        .filter(person=person)
        .exclude(status=InvitationStatus.ACCEPTED)
        .select_related("user", "municipality", "invited_by")
        .order_by("-created_at", "-pk")
        .first()
    )
    if invitation is None:
        raise ValidationError(
            _("%(name)s har ikke noget login, der kan sendes en invitation til.")
            % {"name": person.full_name}
        )
    if invitation.status == InvitationStatus.PENDING:
        # Renewed: it lasts as long as a fresh password link from now.
        invitation.created_at = timezone.now()
        invitation.save(update_fields=["created_at"])
    else:
        invitation = MunicipalityInvitation.objects.create(
            municipality=invitation.municipality,
            person=person,
            user=invitation.user,
            is_ssp_consultant=invitation.is_ssp_consultant,
            is_administrator=invitation.is_administrator,
            invited_by=by,
        )
    invitation_mail(invitation)
