"""Helpers shared by the reminder tests of every app (meetings, cases, actioncard): what the
morning scan scheduled, sending it as the worker would, and the rule that no reminder email
names a young person."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import time_machine
from django.core import mail

from cases.models import YoungPerson
from ssp.models import Reminder
from ssp.notify.reminders import claim_due, send
from tests.mail import outbox_delivered

DEMO_YOUNG_PEOPLE_PREFIX = "Demo-"


def daily(object_type: str) -> set[tuple[str, int, str]]:
    """(kind, object id, recipient email) of the reminders about one kind of object."""
    return set(
        Reminder.objects.filter(object_type=object_type).values_list(
            "kind", "object_id", "recipient__email"
        )
    )


def send_all(rows: Iterable[Reminder]) -> list[mail.EmailMessage]:
    """Claim everything due by the last of `rows` and send those rows; returns the emails."""
    rows = list(rows)
    with time_machine.travel(max(r.send_at for r in rows) + timedelta(minutes=1), tick=False):
        claim_due()
        mail.outbox.clear()
        with outbox_delivered():
            send([r.pk for r in rows])
    return list(mail.outbox)


def assert_no_young_person_named(messages: list[mail.EmailMessage]) -> None:
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
