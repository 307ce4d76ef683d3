"""Actions on the demo cases: one on time, one overdue and one nobody is responsible for yet.

On Amalie's case, whose ad-hoc group (and so the case) the SSP consultant coordinates: the
social worker (social@demo.ssp) finds the overdue action flagged in her "Mine opgaver", the
consultant finds the unassigned one in hers, and the case page flags both. Idempotent: an
action already seeded is left as it is.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases import services
from cases.models import Action, Case, CaseEvent, CaseEventKind
from forum.models import Person

CASE = "Demo-Amalie Tænktsen"
ON_TIME = "Møde med Amalie og forældrene om chatten"
OVERDUE = "Samtale med Amalie om, hvem hun kan tale med på skolen"
UNASSIGNED = "Kontakt til skolens AKT-vejleder om klassens gruppechat"


def seed() -> None:
    case = Case.objects.filter(young_person__full_name=CASE).select_related("coordinator").first()
    if case is None or case.coordinator is None or case.actions.exists():
        return
    consultant = case.coordinator
    sara = Person.objects.get(municipality=case.municipality, full_name="Sara Skov")
    today = timezone.localdate()
    services.action_add(
        case=case,
        by=consultant,
        title=ON_TIME,
        responsible=Person.objects.get(municipality=case.municipality, user=consultant),
        due_on=today + timedelta(days=10),
    )
    _agreed_three_weeks_ago(case, sara)
    services.action_add(
        case=case, by=consultant, title=UNASSIGNED, due_on=today + timedelta(days=7)
    )


def _agreed_three_weeks_ago(case: Case, responsible: Person) -> None:
    """The overdue action, as it was written three weeks ago when its deadline was still ahead
    (the service refuses a deadline in the past today, rightly)."""
    agreed = timezone.now() - timedelta(days=21)
    action = Action.objects.create(
        case=case,
        title=OVERDUE,
        responsible=responsible,
        due_on=timezone.localdate() - timedelta(days=4),
        created_by=case.coordinator,
        created_at=agreed,
    )
    CaseEvent.objects.create(
        case=case, kind=CaseEventKind.ACTION, actor=case.coordinator, text=action.title, at=agreed
    )
