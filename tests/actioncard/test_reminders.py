"""The ActionCard review reminder: every March, each SSP forum's chairs and coordinators and
the municipality's administrators are reminded to review the ActionCard before the April
forum meeting; the email never names a young person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from actioncard.reminders import ActionCardReminderKind
from cases.models import YoungPerson
from forum import services as forum_services
from forum.models import Body, Municipality
from meetings.reminders import BODY_TYPE
from ssp.models import Reminder, User
from ssp.notify.reminders import claim_due, schedule_daily, send
from tests.mail import outbox_delivered
from tests.personas import Personas

pytestmark = pytest.mark.django_db

DEMO_YOUNG_PEOPLE_PREFIX = "Demo-"


def _body(name: str, municipality: str = "161") -> Body:
    return Body.objects.get(name=name, municipality__code=municipality)


def _daily(object_type: str) -> set[tuple[str, int, str]]:
    """(kind, object id, recipient email) of the reminders about one kind of object."""
    return set(
        Reminder.objects.filter(object_type=object_type).values_list(
            "kind", "object_id", "recipient__email"
        )
    )


def _send_all(rows) -> list[mail.EmailMessage]:
    """Claim everything due by the last of `rows` and send those rows; returns the emails."""
    rows = list(rows)
    with time_machine.travel(max(r.send_at for r in rows) + timedelta(minutes=1), tick=False):
        claim_due()
        mail.outbox.clear()
        with outbox_delivered():
            send([r.pk for r in rows])
    return list(mail.outbox)


def _assert_no_young_person_named(messages: list[mail.EmailMessage]) -> None:
    names = list(
        YoungPerson.objects.filter(full_name__startswith=DEMO_YOUNG_PEOPLE_PREFIX).values_list(
            "full_name", flat=True
        )
    )
    assert "Demo-Mikkel Eksempelsen" in names
    for message in messages:
        for name in names:
            for part in name.removeprefix(DEMO_YOUNG_PEOPLE_PREFIX).split():
                assert part not in message.subject, f"LEAK: {name} in subject {message.subject}"
                assert part not in message.body, f"LEAK: {name} in email to {message.to}"


def test_march_cycle_reminds_forum_leads_and_municipal_administrators() -> None:
    glostrup = _body("SSP-Forum Glostrup")
    albertslund = _body("SSP-Forum Albertslund", municipality="165")

    schedule_daily(date(timezone.localdate().year + 1, 3, 10))

    assert _daily(BODY_TYPE) == {
        (ActionCardReminderKind.REVIEW, glostrup.pk, "konsulent@demo.ssp"),
        (ActionCardReminderKind.REVIEW, glostrup.pk, "admin@demo.ssp"),
        (ActionCardReminderKind.REVIEW, albertslund.pk, "admin@demo.ssp"),
    }
    messages = _send_all(Reminder.objects.filter(object_type=BODY_TYPE))
    assert sorted(m.to[0] for m in messages) == [
        "admin@demo.ssp",
        "admin@demo.ssp",
        "konsulent@demo.ssp",
    ]
    _assert_no_young_person_named(messages)


def test_march_cycle_reminds_an_administrator_only_where_they_administer(
    personas: Personas,
) -> None:
    # Staff in Albertslund, administrator in Glostrup only.
    user = User.objects.create_user("halvadmin@test.ssp", password="x", full_name="Halv Admin")
    forum_services.affiliation_set(
        user=user, municipality=Municipality.objects.get(code="161"), is_administrator=True
    )
    forum_services.affiliation_set(user=user, municipality=Municipality.objects.get(code="165"))

    schedule_daily(date(timezone.localdate().year + 1, 3, 10))

    assert {
        (object_id, email)
        for _kind, object_id, email in _daily(BODY_TYPE)
        if email == "halvadmin@test.ssp"
    } == {(_body("SSP-Forum Glostrup").pk, "halvadmin@test.ssp")}
