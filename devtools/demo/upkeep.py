"""The spring confirmation in the demo: Glostrup's round of this year, open for another month
whatever the day the demo is seeded, with a few actors who confirmed, one correction waiting
for review and the rest not answered yet.

No mail leaves for the demo: the links count as sent without one (a consultant's "Send igen"
on the overview mails a real one). Seeding is idempotent.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from forum import confirmations
from forum.confirmation_models import EntryConfirmation
from forum.models import Municipality

CONFIRMED = ("Kirsten Kragh", "Lars Lund", "Bente Berg", "Peter Poulsen")
CORRECTED = ("Jens Juhl", {"job_title": "Koordinator for Natteravnene"}, "Ny mobil fra maj.")


def seed() -> None:
    glostrup = Municipality.objects.get(code="161")
    today = timezone.localdate()
    confirmation_round = confirmations.round_open(municipality=glostrup, year=today.year)
    if confirmation_round.closes_on < today + timedelta(days=30):
        confirmation_round.closes_on = today + timedelta(days=30)
        confirmation_round.save(update_fields=["closes_on"])
    unsent = confirmation_round.confirmations.filter(sent_at__isnull=True).exclude(person__email="")
    for confirmation in unsent:
        confirmation.nonce = secrets.token_urlsafe(16)
        confirmation.sent_at = timezone.now()
        confirmation.send_count = 1
        confirmation.save(update_fields=["nonce", "sent_at", "send_count"])
    if confirmation_round.confirmations.exclude(answered_at=None).exists():
        return
    for confirmation in EntryConfirmation.objects.filter(
        round=confirmation_round, person__full_name__in=CONFIRMED
    ):
        confirmations.entry_confirm(confirmation=confirmation)
    name, changes, note = CORRECTED
    confirmation = EntryConfirmation.objects.get(round=confirmation_round, person__full_name=name)
    confirmations.entry_correct(confirmation=confirmation, changes=changes, note=note)
