"""Putting a concern where it belongs after its triage: joining an existing case."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Case, CaseEventKind, Concern, ConcernChange, ConcernStatus
from cases.services._common import event_add, require_reason, touch
from ssp.audit import audit_log
from ssp.models import AuditAction, User


@transaction.atomic
def concern_attach_to_case(*, concern: Concern, case: Case, by: User, reason: str) -> Concern:
    """A concern already routed or closed joins an existing case about its young person.

    New concerns join a case by triage (`concern_link_to_case`). Later, the consultant learns
    that a routed or closed concern belongs to a case (often once two records of a child are
    merged): the concern joins it with a reason, its first triage stays on record, and the
    change is logged on the concern (old → new) and on the case's timeline.
    """
    require_reason(reason)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status == ConcernStatus.NEW:
        raise ValidationError({"case": [_("Visiter bekymringen for at knytte den til en sag.")]})
    if concern.case_id is not None:
        raise ValidationError({"case": [_("Bekymringen er allerede knyttet til en sag.")]})
    if case.municipality_id != concern.municipality_id:
        raise ValidationError({"case": [_("Sagen skal høre til samme kommune.")]})
    if concern.young_person_id is not None and concern.young_person_id != case.young_person_id:
        raise ValidationError({"case": [_("Sagen handler om en anden ung.")]})
    old_status = concern.status
    concern.case = case
    concern.young_person_id = case.young_person_id
    concern.status = ConcernStatus.LINKED
    concern.save(update_fields=["case", "young_person", "status"])
    ConcernChange.objects.create(
        concern=concern,
        changed_by=by,
        field="case",
        # Codes, put into words when shown (`triage.corrections_of`), in the reader's language.
        old_value=old_status,
        new_value=str(case.pk),
        reason=reason.strip(),
    )
    event_add(
        case, CaseEventKind.CONCERN_LINKED, by, "concern_linked", concern=concern.pk, reason=reason
    )
    touch(case)
    audit_log(user=by, action=AuditAction.UPDATE, obj=case, subject_id=case.young_person_id)
    return concern
