"""A case and the work on it: opening, status, details, notes, consent and the timeline
(actions are in `actions`, the coordinator in `coordinator`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import grants
from cases.models import (
    Basis,
    BasisEndReason,
    BasisGround,
    BasisOrigin,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    CaseSubject,
    Consent,
    ConsentStatus,
    Note,
    PreventionLevel,
    YoungPerson,
)
from cases.services._common import (
    check_handling_body,
    check_planned_date,
    event_add,
    log_case_update,
    require_reason,
    touch,
)
from cases.services.bases import BasisRequest, bases_end
from cases.services.coordinator import check_coordinator, coordinator_apply
from forum.models import Body, Municipality
from ssp.audit import audit_log
from ssp.models import AuditAction, User


def case_event_add(
    *, case: Case, kind: str, actor: User | None, message: str = "", text: str = "", **values: Any
) -> CaseEvent:
    """A line on the case's timeline written by another part of the product, e.g. a meeting
    that put the case on its agenda: `message` is a code of `cases.event_texts` and `values`
    its values, put into words in the reader's language when the timeline is shown. (`text`,
    a ready sentence, is shown as written, in Danish to every reader: avoid it.)"""
    return event_add(case, kind, actor, message or text, **values)


def _give_body_basis(case: Case, by: User, body: Body, basis: BasisRequest) -> None:
    basis.give(by=by, origin=BasisOrigin.CASE_OPENED, case=case, body=body, field_prefix="basis_")


@transaction.atomic
def case_open(
    *,
    municipality: Municipality,
    responsible_body: Body,
    opened_by: User,
    level: str,
    prevention_kind: str,
    young_person: YoungPerson | None = None,
    subjects: Sequence[YoungPerson] = (),
    subject_description: str = "",
    coordinator: User | None = None,
    body_basis: BasisRequest | None = None,
) -> Case:
    """Open a case handled by a school team or the §115 group: about one young person, or
    (not at the individual level) about a group of named young people (`subjects`) or a place,
    described in `subject_description`.

    The body's members of the handling sectors read it under rule R2. With `body_basis` (the
    three §115 criteria and a purpose, given in the same step) every member reads it, police
    included: without it, they do not. In a group case, R2 shows a member only the young
    people they may see anyway; a basis shows them the whole group (`cases.subject_permissions`).
    """
    check_handling_body(responsible_body, municipality.pk, field="responsible_body")
    _check_subjects(municipality, level, young_person, subjects, subject_description)
    check_coordinator(coordinator, municipality.pk)
    case = Case.objects.create(
        municipality=municipality,
        young_person=young_person,
        subject_description="" if young_person else subject_description.strip(),
        responsible_body=responsible_body,
        level=level,
        prevention_kind=prevention_kind,
        coordinator=coordinator,
        opened_by=opened_by,
    )
    group = [] if young_person else list({person.pk: person for person in subjects}.values())
    CaseSubject.objects.bulk_create(
        CaseSubject(case=case, young_person=person, position=index)
        for index, person in enumerate(group)
    )
    grants.sync_case_grants(case)
    event_add(case, CaseEventKind.OPENED, opened_by, "opened", body=str(responsible_body))
    audit_log(
        user=opened_by,
        action=AuditAction.CREATE,
        obj=case,
        subject_id=case.young_person_id,
        shown_subjects=[person.pk for person in group],
    )
    if body_basis is not None:
        _give_body_basis(case, opened_by, responsible_body, body_basis)
    return case


def _check_subjects(
    municipality: Municipality,
    level: str,
    young_person: YoungPerson | None,
    subjects: Sequence[YoungPerson],
    description: str,
) -> None:
    """One young person, or (at the general or specific level) a described group or place."""
    if young_person is not None:
        if young_person.municipality_id != municipality.pk:
            raise ValidationError({"young_person": [_("Den unge skal høre til samme kommune.")]})
        return
    if level == PreventionLevel.INDIVIDUAL:
        raise ValidationError(
            {"level": [_("En individorienteret sag handler om én ung: vælg niveauet specifik.")]}
        )
    if not description.strip():
        raise ValidationError(
            {"subject_description": [_("Beskriv kort gruppen eller stedet, sagen handler om.")]}
        )
    if any(person.municipality_id != municipality.pk for person in subjects):
        raise ValidationError({"young_person": [_("De unge skal høre til samme kommune.")]})


def group_case_add_subjects(*, case: Case, young_person_ids: Sequence[int]) -> None:
    """Add young people to a case about a group (a concern naming them joined it), after
    those it names already; someone already in it is not added twice."""
    present = set(case.subjects.values_list("young_person_id", flat=True))
    start = len(present)
    new = [pk for pk in dict.fromkeys(young_person_ids) if pk not in present]
    CaseSubject.objects.bulk_create(
        CaseSubject(case=case, young_person_id=pk, position=start + index)
        for index, pk in enumerate(new)
    )


@transaction.atomic
def case_change_status(*, case: Case, status: str, by: User, reason: str = "") -> Case:
    """Move a case along open → active → follow-up → closed; closing and reopening need a
    reason."""
    if not case.can_move_to(status):
        raise ValidationError(
            {
                "status": [
                    _("Sagen kan ikke gå fra »%(from)s« til »%(to)s«.")
                    % {
                        "from": case.get_status_display(),
                        "to": CaseStatus(status).label,
                    }
                ]
            }
        )
    if status == CaseStatus.CLOSED or case.status == CaseStatus.CLOSED:
        require_reason(reason)
    old_status = case.status
    case.status = status
    case.closed_at = timezone.now() if status == CaseStatus.CLOSED else None
    case.updated_at = timezone.now()
    case.save(update_fields=["status", "closed_at", "updated_at"])
    event_add(
        case, CaseEventKind.STATUS, by, "status", old=old_status, new=status, reason=reason.strip()
    )
    log_case_update(case, by)
    return case


@transaction.atomic
def case_update_details(
    *,
    case: Case,
    by: User,
    level: str,
    prevention_kind: str,
    responsible_body: Body,
    coordinator: User | None,
    follow_up_on: date | None,
    body_basis: BasisRequest | None = None,
) -> Case:
    """Change a case's details. A new responsible body ends the bases given to the old one when
    the case was opened under it (group closed); `body_basis` gives one to the new body. A new
    coordinator takes the ad-hoc group's coordinator seat with them. A new follow-up date lies
    between today and the planning horizon; one already passed may stay as it is, so the
    other details can still be changed."""
    check_handling_body(responsible_body, case.municipality_id, field="responsible_body")
    if follow_up_on != case.follow_up_on:
        check_planned_date(follow_up_on, field="follow_up_on", what=_("Opfølgningsdatoen"))
    old_body_id = case.responsible_body_id
    body_changed = responsible_body.pk != old_body_id
    changes = _detail_changes(
        case,
        level=level,
        prevention_kind=prevention_kind,
        responsible_body=responsible_body,
        follow_up_on=follow_up_on,
    )
    coordinator_change = coordinator_apply(case=case, by=by, coordinator=coordinator)
    if coordinator_change:
        changes.append(coordinator_change)
    case.level = level
    case.prevention_kind = prevention_kind
    case.responsible_body = responsible_body
    case.follow_up_on = follow_up_on
    case.updated_at = timezone.now()
    case.save()
    if body_changed:
        bases_end(
            bases=Basis.objects.filter(
                case=case,
                body_id=old_body_id,
                origin=BasisOrigin.CASE_OPENED,
                ended_at__isnull=True,
            ),
            by=by,
            reason=BasisEndReason.GROUP_CLOSED,
        )
    grants.sync_case_grants(case)
    if body_basis is not None:
        _give_body_basis(case, by, responsible_body, body_basis)
    if changes:
        event_add(case, CaseEventKind.DETAILS, by, "details", changes=changes)
    log_case_update(case, by)
    return case


def _detail_changes(
    case: Case,
    *,
    level: str,
    prevention_kind: str,
    responsible_body: Body,
    follow_up_on: date | None,
) -> list[dict[str, Any]]:
    """The field history of a details change, old → new, before the case is changed: choices
    by their code and dates as ISO (put into words when shown), the body by its name."""
    changes: list[dict[str, Any]] = []
    for field, new in (("level", level), ("prevention_kind", prevention_kind)):
        if getattr(case, field) != new:
            changes.append({"field": field, "old": getattr(case, field), "new": new})
    if case.responsible_body_id != responsible_body.pk:
        changes.append(
            {
                "field": "responsible_body",
                "old": str(case.responsible_body),
                "new": str(responsible_body),
            }
        )
    if case.follow_up_on != follow_up_on:
        changes.append(
            {
                "field": "follow_up_on",
                "old": case.follow_up_on.isoformat() if case.follow_up_on else None,
                "new": follow_up_on.isoformat() if follow_up_on else None,
            }
        )
    return changes


@transaction.atomic
def note_add(*, case: Case, author: User, text: str, restricted_to_sector: bool = False) -> Note:
    if not text.strip():
        raise ValidationError({"text": [_("Skriv notatet.")]})
    note = Note.objects.create(
        case=case,
        author=author,
        text=text,
        restricted_to_sector=author.sector if restricted_to_sector else "",
    )
    touch(case)
    audit_log(
        user=author,
        action=AuditAction.CREATE,
        obj=note,
        subject_id=case.young_person_id,
        municipality_id=case.municipality_id,
    )
    return note


@transaction.atomic
def note_correct(*, note: Note, author: User, text: str) -> Note:
    """Correct a note with a new one shown under it: the original stays as written (the
    database refuses to change it). A correction of a correction corrects the original, and
    is read by the same sector as the original."""
    if not text.strip():
        raise ValidationError({"text": [_("Skriv rettelsen.")]})
    original = note.corrects if note.corrects_id is not None else note
    correction = Note.objects.create(
        case=original.case,
        author=author,
        text=text,
        restricted_to_sector=original.restricted_to_sector,
        corrects=original,
    )
    touch(original.case)
    audit_log(
        user=author,
        action=AuditAction.CREATE,
        obj=correction,
        subject_id=original.case.young_person_id,
        municipality_id=original.case.municipality_id,
    )
    return correction


@transaction.atomic
def consent_record(
    *, case: Case, by: User, status: str, reason: str = "", given_by: str = ""
) -> Consent:
    """Record the case's consent status. A record that is not "obtained" withdraws what the
    consent allowed: every basis resting on consent ends (consent withdrawn)."""
    previous = case.consents.order_by("-recorded_at", "-id").first()
    consent = Consent.objects.create(
        case=case, status=status, reason=reason.strip(), given_by=given_by.strip(), recorded_by=by
    )
    event_add(
        case,
        CaseEventKind.CONSENT,
        by,
        "consent",
        old=previous.status if previous else None,
        new=status,
        reason=reason.strip(),
    )
    if status != ConsentStatus.OBTAINED:
        bases_end(
            bases=Basis.objects.filter(
                case=case, ground=BasisGround.CONSENT, ended_at__isnull=True
            ),
            by=by,
            reason=BasisEndReason.CONSENT_WITHDRAWN,
        )
    touch(case)
    audit_log(
        user=by,
        action=AuditAction.CREATE,
        obj=consent,
        subject_id=case.young_person_id,
        municipality_id=case.municipality_id,
    )
    return consent
