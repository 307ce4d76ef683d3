"""Steps several case services share: the timeline, the reason rule, the handling body.
Private to this package."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.event_texts import RENDERERS, event_message
from cases.models import Case, CaseEvent
from cases.subjects import case_subject_ids
from forum.models import Body
from ssp.audit import audit_log
from ssp.models import AuditAction, User


def require_reason(reason: str, field: str = "reason") -> None:
    if not reason.strip():
        raise ValidationError({field: [_("Skriv en begrundelse.")]})


# How far ahead a deadline or follow-up may be planned: SSP work is planned for the school
# year and the next; a date further out is almost always a typo (2062 for 2026).
PLANNING_HORIZON_YEARS = 2


def planning_horizon(today: date) -> date:
    """The last day a deadline or follow-up may fall on, seen from `today`."""
    try:
        return today.replace(year=today.year + PLANNING_HORIZON_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + PLANNING_HORIZON_YEARS, day=28)


def check_planned_date(value: date | None, *, field: str, what: str) -> None:
    """A deadline or follow-up is planned from today: never in the past (a deadline already
    missed when it is set is never chased), and within the planning horizon. `what` names
    the date in the message ("Fristen", "Opfølgningsdatoen")."""
    if value is None:
        return
    today = timezone.localdate()
    if value < today:
        raise ValidationError(
            {
                field: [
                    _(
                        "%(what)s kan ikke ligge før i dag. Vælg i dag (%(today)s) eller en "
                        "senere dato."
                    )
                    % {"what": what, "today": date_format(today, "DATE_FORMAT")}
                ]
            }
        )
    latest = planning_horizon(today)
    if value > latest:
        raise ValidationError(
            {
                field: [
                    _("%(what)s kan højst ligge to år frem. Vælg en dato senest %(latest)s.")
                    % {"what": what, "latest": date_format(latest, "DATE_FORMAT")}
                ]
            }
        )


def check_handling_body(body: Body, municipality_id: int, *, field: str) -> None:
    """A case is opened under a school team, the §115 group or a body whose type the
    municipality lets handle cases (`forum.BodyType.may_handle_cases`), of its own."""
    if body.municipality_id != municipality_id or not body.handles_cases:
        raise ValidationError(
            {
                field: [
                    _(
                        "Vælg et af kommunens SSP-teams, §115-gruppen eller et organ, der "
                        "behandler sager."
                    )
                ]
            }
        )


def event_add(case: Case, kind: str, actor: User | None, message: str, **values: Any) -> CaseEvent:
    """A timeline line: `message` is a code of `cases.event_texts`, `values` its JSON-able
    values (codes, names, ISO dates, typed reasons). The Danish wording is kept as `text`."""
    if message not in RENDERERS:
        # A sentence rather than a code (a caller not yet converted): kept as it is, shown in
        # Danish to every reader. Give it a code in `cases.event_texts` instead.
        return CaseEvent.objects.create(case=case, kind=kind, actor=actor, text=message[:500])
    params = {"m": message, **values}
    with translation.override("da"):
        text = event_message(params)
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, text=text[:500], params=params
    )


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
