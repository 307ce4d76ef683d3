"""The agenda of a meeting and the standing items of a body."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import Basis, BasisEndReason, BasisOrigin, Case, CaseEventKind
from cases.permissions import cases_visible_to
from forum.models import Body
from meetings.models import AgendaItem, Meeting, MeetingStatus, StandingAgendaItem
from meetings.services._common import check_open, log_case_write
from ssp.models import AuditAction, User


def _agenda_basis(
    meeting: Meeting, case: Case, by: User, purpose: str, criteria: dict[str, bool] | None
) -> Basis:
    """The §115 basis that lets the meeting's body read the case: from the moment it is on the
    agenda until `AGENDA_BASIS_DAYS` after the meeting (or after today, for a meeting already
    held). An active basis for the body that lasts as long is reused; a shorter one given for
    an earlier agenda item is lengthened, any other shorter one is replaced.
    """
    until = max(meeting.ends_at, timezone.now()) + timedelta(days=settings.AGENDA_BASIS_DAYS)
    existing = case_services.open_basis_for(case=case, body=meeting.body)
    if existing is not None and existing.is_active():
        if existing.expires_at is None or existing.expires_at >= until:
            return existing
        if existing.origin == BasisOrigin.AGENDA_ITEM:
            # One basis per body and case for all its meetings: the items of the earlier
            # meetings keep relying on it (`agenda_bases_follow_meeting`).
            return case_services.basis_reschedule(basis=existing, expires_at=until, by=by)
        case_services.basis_end(basis=existing, by=by, reason=BasisEndReason.REVOKED)
    return case_services.basis_give(
        by=by,
        origin=BasisOrigin.AGENDA_ITEM,
        purpose=purpose,
        case=case,
        body=meeting.body,
        criteria=criteria,
        expires_at=until,
    )


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    description: str = "",
    case: Case | None = None,
    purpose: str = "",
    criteria: dict[str, bool] | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda. A case goes on the agenda only when the user may
    see it and has confirmed the three §115 criteria for sharing it with the participants: that
    gives the meeting's body a §115 basis (see `_agenda_basis`)."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    check_open(meeting)
    confirmed_at = None
    basis = None
    if case is not None:
        errors: dict[str, list[str]] = {}
        if not cases_visible_to(by).filter(pk=case.pk).exists():
            errors["case"] = [_("Du kan ikke sætte en sag på, som du ikke selv har adgang til.")]
        elif case.municipality_id != meeting.body.municipality_id:
            errors["case"] = [_("Sagen hører til en anden kommune end organet.")]
        if not case_services.share_criteria_confirmed(criteria):
            errors["__all__"] = [
                _("Bekræft alle tre betingelser efter §115, før sagen sættes på dagsordenen.")
            ]
        if not purpose.strip():
            errors["purpose"] = [_("Skriv formålet med at drøfte sagen.")]
        if errors:
            raise ValidationError(errors)
        confirmed_at = timezone.now()
        basis = _agenda_basis(meeting, case, by, purpose, criteria)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        title=title.strip(),
        description=description.strip(),
        case=case,
        purpose=purpose.strip(),
        basis=basis,
        criteria_confirmed_by=by if case is not None else None,
        criteria_confirmed_at=confirmed_at,
        created_by=by,
    )
    if case is not None:
        case_services.case_event_add(
            case=case,
            kind=CaseEventKind.MEETING,
            actor=by,
            message="meeting",
            title=meeting.title,
            date=timezone.localtime(meeting.starts_at).date().isoformat(),
        )
        log_case_write(by=by, action=AuditAction.CREATE, obj=item, item=item, purpose=item.purpose)
    return item


def agenda_bases_follow_meeting(*, meeting: Meeting, by: User | None) -> None:
    """After a meeting is moved or cancelled, the §115 bases its case items gave the body last
    as long as the meetings still relying on them: until `AGENDA_BASIS_DAYS` after the latest
    one that is not cancelled, and they end (revoked) when no such meeting is left."""
    now = timezone.now()
    bases = Basis.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        pk__in=meeting.agenda_items.filter(basis__isnull=False).values("basis_id"),
        origin=BasisOrigin.AGENDA_ITEM,
        ended_at__isnull=True,
    )
    for basis in bases:
        latest = (
            Meeting.objects.filter(agenda_items__basis=basis)
            .exclude(status=MeetingStatus.CANCELLED)
            .aggregate(latest=Max("ends_at"))["latest"]
        )
        if latest is None:
            case_services.basis_end(basis=basis, by=by, reason=BasisEndReason.REVOKED)
            continue
        until = max(latest, now) + timedelta(days=settings.AGENDA_BASIS_DAYS)
        if basis.expires_at != until:
            case_services.basis_reschedule(basis=basis, expires_at=until, by=by)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, offset: int) -> None:
    """Move an item up (-1) or down (+1) by swapping it with its neighbour."""
    check_open(item.meeting)
    items = list(item.meeting.agenda_items.select_for_update().order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        other.position = position
    AgendaItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: User | None = None) -> None:
    """Take an item off the agenda. The basis it gave its body ends with it (revoked), unless
    another item still relies on it or it was given otherwise."""
    check_open(item.meeting)
    meeting = item.meeting
    basis = item.basis
    log_case_write(by=by, action=AuditAction.DELETE, obj=item, item=item)
    item.delete()
    if (
        basis is not None
        and basis.origin == BasisOrigin.AGENDA_ITEM
        and basis.ended_at is None
        and not AgendaItem.objects.filter(basis=basis).exists()
    ):
        case_services.basis_end(basis=basis, by=by, reason=BasisEndReason.REVOKED)
    items = list(meeting.agenda_items.select_for_update().order_by("position", "pk"))
    for position, other in enumerate(items, start=1):
        other.position = position
    AgendaItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def standing_item_add(*, body: Body, title: str) -> StandingAgendaItem:
    """An item that will open every meeting of the body planned from now on."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": [_("Skriv punktets titel.")]})
    if body.standing_items.filter(title__iexact=title).exists():
        raise ValidationError({"title": [_("Organet har allerede det faste punkt.")]})
    last = body.standing_items.aggregate(last=Max("position"))["last"] or 0
    return StandingAgendaItem.objects.create(body=body, title=title, position=last + 1)


@transaction.atomic
def standing_item_remove(*, item: StandingAgendaItem) -> None:
    item.delete()
