"""Steps several case services share: the timeline, the reason rule, the handling body.
Private to this package."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseEvent
from cases.subjects import case_subject_ids
from forum.models import Body, BodyKind
from ssp.audit import audit_log
from ssp.models import AuditAction, User


def require_reason(reason: str, field: str = "reason") -> None:
    if not reason.strip():
        raise ValidationError({field: [_("Skriv en begrundelse.")]})


def check_handling_body(body: Body, municipality_id: int, *, field: str) -> None:
    if body.municipality_id != municipality_id or body.kind not in (
        BodyKind.SCHOOL_TEAM,
        BodyKind.GROUP_115,
    ):
        raise ValidationError({field: [_("Vælg et af kommunens SSP-teams eller §115-gruppen.")]})


def event_add(case: Case, kind: str, actor: User | None, text: str = "") -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, text=text[:500])


def touch(case: Case) -> None:
    case.updated_at = timezone.now()
    case.save(update_fields=["updated_at"])


def log_case_update(case: Case, by: User | None) -> None:
    """The access-log row of a change to the case itself (its details, status or group)."""
    audit_log(
        user=by,
        action=AuditAction.UPDATE,
        obj=case,
        subject_id=case.young_person_id,
        municipality_id=case.municipality_id,
        # A case about a group touches every young person it names.
        shown_subjects=case_subject_ids(case) if case.young_person_id is None else (),
    )
