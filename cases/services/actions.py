"""Actions (indsatser) on a case: added with a responsible person and a deadline, given a
responsible person later if none was named, and marked done.

An action is court-safe (migrations 0008 and 0013): once written, the database lets it change
only by being given a responsible person (once, while nobody is) and by being marked done.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import choosers
from cases.models import Action, Case, CaseEventKind
from cases.services._common import check_planned_date, event_add, touch
from forum.models import Person
from ssp.audit import audit_log
from ssp.models import AuditAction, User


def _check_responsible(case: Case, responsible: Person | None, field: str) -> None:
    """The responsible person is one the action form offers: someone in the municipality's
    directory, not an account that only administers it."""
    if responsible is None:
        return
    if responsible.municipality_id != case.municipality_id:
        raise ValidationError({field: [_("Den ansvarlige skal høre til kommunen.")]})
    if not choosers.action_responsibles(case).filter(pk=responsible.pk).exists():
        raise ValidationError(
            {field: [_("Vælg en person, der arbejder med børn og unge i kommunen.")]}
        )


def _log(action: Action, by: User, kind: str) -> None:
    audit_log(
        user=by,
        action=kind,
        obj=action,
        subject_id=action.case.young_person_id,
        municipality_id=action.case.municipality_id,
    )


@transaction.atomic
def action_add(
    *,
    case: Case,
    by: User,
    title: str,
    responsible: Person | None = None,
    due_on: date | None = None,
) -> Action:
    """Add an agreed action. Its deadline lies between today and the planning horizon: a
    deadline in the past would be overdue the moment it is written and chase nobody. With no
    responsible person it is listed for the case's coordinator until someone is named."""
    if not title.strip():
        raise ValidationError({"title": [_("Skriv, hvad indsatsen går ud på.")]})
    _check_responsible(case, responsible, "responsible")
    check_planned_date(due_on, field="due_on", what=_("Fristen"))
    action = Action.objects.create(
        case=case, title=title.strip(), responsible=responsible, due_on=due_on, created_by=by
    )
    event_add(case, CaseEventKind.ACTION, by, "action_added", title=action.title)
    touch(case)
    _log(action, by, AuditAction.CREATE)
    return action


@transaction.atomic
def action_assign(*, action: Action, by: User, responsible: Person) -> Action:
    """Name the person responsible for an action that has none: the one change besides being
    marked done that the record allows, once. Who was responsible is never rewritten."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.done_on is not None:
        raise ValidationError(_("Indsatsen er udført og kan ikke få en ansvarlig."))
    if locked.responsible_id is not None:
        raise ValidationError({"responsible": [_("Indsatsen har allerede en ansvarlig.")]})
    _check_responsible(action.case, responsible, "responsible")
    action.responsible = responsible
    action.save(update_fields=["responsible"])
    event_add(
        action.case,
        CaseEventKind.ACTION,
        by,
        "action_assigned",
        name=responsible.full_name,
        title=action.title,
    )
    touch(action.case)
    _log(action, by, AuditAction.UPDATE)
    return action


@transaction.atomic
def action_complete(*, action: Action, by: User, done_on: date | None = None) -> Action:
    if action.done_on is not None:
        raise ValidationError(_("Indsatsen er allerede markeret som udført."))
    action.done_on = done_on or timezone.localdate()
    action.save(update_fields=["done_on"])
    event_add(action.case, CaseEventKind.ACTION, by, "action_done", title=action.title)
    _log(action, by, AuditAction.UPDATE)
    return action
