"""The ActionCard review reminder: every March, each SSP forum's chairs and coordinators and
the municipality's administrators are reminded to review the ActionCard before the April
forum meeting; the email never names a young person."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from actioncard.reminders import ActionCardReminderKind
from forum import services as forum_services
from forum.models import Body, Municipality
from meetings.reminders import BODY_TYPE
from ssp.models import Reminder, User
from ssp.notify.reminders import schedule_daily
from tests.personas import Personas
from tests.reminder_helpers import assert_no_young_person_named, daily, send_all

pytestmark = pytest.mark.django_db


def _body(name: str, municipality: str = "161") -> Body:
    return Body.objects.get(name=name, municipality__code=municipality)


def test_march_cycle_reminds_forum_leads_and_municipal_administrators() -> None:
    glostrup = _body("SSP-Forum Glostrup")
    albertslund = _body("SSP-Forum Albertslund", municipality="165")

    schedule_daily(date(timezone.localdate().year + 1, 3, 10))

    assert daily(BODY_TYPE) == {
        (ActionCardReminderKind.REVIEW, glostrup.pk, "konsulent@demo.ssp"),
        (ActionCardReminderKind.REVIEW, glostrup.pk, "admin@demo.ssp"),
        (ActionCardReminderKind.REVIEW, albertslund.pk, "admin@demo.ssp"),
        (ActionCardReminderKind.REVIEW, albertslund.pk, "nina.nielsen@demo.ssp"),
    }
    messages = send_all(Reminder.objects.filter(object_type=BODY_TYPE))
    assert sorted(m.to[0] for m in messages) == [
        "admin@demo.ssp",
        "admin@demo.ssp",
        "konsulent@demo.ssp",
        "nina.nielsen@demo.ssp",
    ]
    assert_no_young_person_named(messages)


def test_march_cycle_reminds_an_administrator_only_where_they_administer(
    personas: Personas,
) -> None:
    # Staff in Albertslund, administrator in Glostrup only.
    user = User.objects.create_user("halvadmin@test.ssp", password="x", full_name="Halv Admin")
    forum_services.affiliation_set(
        user=user,
        municipality=Municipality.objects.get(code="161"),
        is_administrator=True,
        by=None,
    )
    forum_services.affiliation_set(
        user=user, municipality=Municipality.objects.get(code="165"), by=None
    )

    schedule_daily(date(timezone.localdate().year + 1, 3, 10))

    assert {
        (object_id, email)
        for _kind, object_id, email in daily(BODY_TYPE)
        if email == "halvadmin@test.ssp"
    } == {(_body("SSP-Forum Glostrup").pk, "halvadmin@test.ssp")}
