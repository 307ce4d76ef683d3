"""Rows of the cases permission table (test_permission_matrix.py) for the escalation settings
and the notification follow-through.

- The escalation settings of a municipality (ladder, SMS gateway, absences): its SSP
  consultants and its administrators. Albertslund's: its administrator only (Glostrup's
  consultant does not work there).
- Routing rules: the consultants only. An administrator sees the page but gets 403: a rule is
  a disclosure decided in advance, and administrators read no case content.
- Recording a notification as sent: the reporter (Ida's concern is the club worker's) and the
  consultant; a concern without a task answers 403 to its readers; everyone else 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from cases import services
from cases.models import Concern, ConcernCategory, EscalationScope, RoutingRule
from forum.models import Absence, Municipality
from ssp.models import User
from tests.permission_table import Row, statuses
from tests.personas import PERSONA_NAMES

FREJA = "Demo-Freja Fantasisen"  # a concern without a notification task
IDA = "Demo-Ida Opfundensen"  # the demo's overdue notification, reported by the club worker


def _expect(default: int = 404, **overrides: int) -> dict[str, int]:
    return statuses(PERSONA_NAMES, default, **overrides)


def _municipality(code: str = "161") -> Municipality:
    return Municipality.objects.get(code=code)


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _page(suffix: str = "", code: str = "161") -> Callable[[], str]:
    return lambda: f"/eskalering/{_municipality(code).pk}/{suffix}"


def _step_delete_url() -> str:
    """A step added for the test (rolled back with it)."""
    step = services.escalation_step_add(
        municipality=_municipality(),
        applies_to=EscalationScope.SOON,
        after_working_days=2,
        by_sms=False,
        by=_user("konsulent@demo.ssp"),
    )
    return f"/eskalering/{_municipality().pk}/trin/{step.pk}/slet/"


def _absence_delete_url() -> str:
    absence = Absence.objects.get(user__email="morten.moerch@demo.ssp")
    return f"/eskalering/{_municipality().pk}/fravaer/{absence.pk}/slet/"


def _rule_delete_url() -> str:
    rule = RoutingRule.objects.get(user__email="infohus@demo.ssp")
    return f"/eskalering/{_municipality().pk}/routing/{rule.pk}/slet/"


def _concern_url(name: str, suffix: str) -> Callable[[], str]:
    return lambda: f"/bekymringer/{Concern.objects.get(young_person__full_name=name).pk}/{suffix}"


def _step_data(user: User | None) -> dict:
    return {"step-applies_to": "soon", "step-after_working_days": 3}


def _gateway_data(user: User | None) -> dict:
    return {
        "url": "https://sms.glostrup-demo.invalid/v2/send",
        "token": "",
        "sender": "SSPGlostrup",
        "is_active": "on",
    }


def _absence_data(user: User | None) -> dict:
    start = timezone.localdate() + timedelta(days=60)
    return {
        "absence-user": _user("konsulent@demo.ssp").pk,
        "absence-stand_in": _user("morten.moerch@demo.ssp").pk,
        "absence-starts_on": start.isoformat(),
        "absence-ends_on": (start + timedelta(days=7)).isoformat(),
    }


def _rule_data(user: User | None) -> dict:
    return {
        "rule-category": ConcernCategory.objects.get(
            municipality=_municipality(), name="Skolefravær"
        ).pk,
        "rule-user": _user("social@demo.ssp").pk,
        "rule-body": "",
    }


def _record_data(user: User | None) -> dict:
    return {"sent_on": timezone.localdate().isoformat(), "sent_by": "Kasper Krog, Klub Vestervang"}


SETTINGS_GET = _expect(admin=200, consultant=200)
SETTINGS_POST = _expect(admin=302, consultant=302)
ROUTING_POST = _expect(admin=403, consultant=302)
POST_ONLY_ON_GET = _expect(405)

ESCALATION_ROWS = [
    Row("escalation_settings", "GET", _page(), SETTINGS_GET),
    Row("escalation_settings", "GET", _page(code="165"), _expect(admin=200)),
    Row("escalation_step_add", "POST", _page("trin/"), SETTINGS_POST, _step_data),
    Row("escalation_step_add", "POST", _page("trin/", "165"), _expect(admin=302), _step_data),
    Row("escalation_step_add", "GET", _page("trin/"), POST_ONLY_ON_GET),
    Row("escalation_step_delete", "POST", _step_delete_url, SETTINGS_POST),
    Row("sms_gateway_edit", "GET", _page("sms/"), SETTINGS_GET),
    Row("sms_gateway_edit", "POST", _page("sms/"), SETTINGS_POST, _gateway_data),
    Row("absence_add", "POST", _page("fravaer/"), SETTINGS_POST, _absence_data),
    Row("absence_delete", "POST", _absence_delete_url, SETTINGS_POST),
    Row("routing_rule_add", "POST", _page("routing/"), ROUTING_POST, _rule_data),
    Row("routing_rule_delete", "POST", _rule_delete_url, ROUTING_POST),
    Row("routing_rule_delete", "GET", _rule_delete_url, POST_ONLY_ON_GET),
    Row(
        "concern_notification_record",
        "GET",
        _concern_url(IDA, "underretning/"),
        _expect(club=200, consultant=200),
    ),
    Row(
        "concern_notification_record",
        "POST",
        _concern_url(IDA, "underretning/"),
        _expect(club=302, consultant=302),
        _record_data,
    ),
    Row(
        "concern_notification_record",
        "GET",
        _concern_url(FREJA, "underretning/"),
        _expect(consultant=403, club=403, leader=403),
    ),
]
