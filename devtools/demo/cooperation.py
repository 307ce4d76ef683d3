"""The Kredsråd's samarbejdsplan in the demo: Albertslund's SSP-Forum has approved its plan for
next year, Glostrup's SSP-Udvalg has not yet (its December meeting is ahead), and the Kredsråd
for Københavns Vestegn has a draft for next year drawn from both municipalities' plans and this
year's figures, with a meeting in February to approve it. Idempotent: nothing is added when
the draft exists."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from forum.models import Body, BodyKind
from meetings import services as meeting_services
from meetings.models import Meeting
from prevention.models import AnnualPlan
from reports import cooperation
from reports.models import CooperationPlan
from ssp.models import User


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed() -> None:
    kredsraad = Body.objects.filter(kind=BodyKind.KREDSRAAD).order_by("pk").first()
    today = timezone.localdate()
    next_year = today.year + 1
    if kredsraad is None or CooperationPlan.objects.filter(kredsraad=kredsraad).exists():
        return
    consultant = User.objects.get(email="konsulent@demo.ssp")
    with transaction.atomic():
        forum = Body.objects.get(name="SSP-Forum Albertslund")
        held = today - timedelta(days=14)
        meeting = Meeting.objects.create(
            body=forum,
            organiser=consultant,
            title=f"SSP-Forum Albertslund: årsplan {next_year}",
            starts_at=_at(held, 14),
            ends_at=_at(held, 16),
            location="Albertslund Rådhus",
        )
        AnnualPlan.objects.create(
            body=forum,
            title=f"SSP-Forum Albertslunds årsplan {next_year}",
            starts_on=date(next_year, 1, 1),
            ends_on=date(next_year, 12, 31),
            summary="Gadeplan i Albertslund Centrum fredag og lørdag; forældrecaféer i 6. og "
            "7. årgang; fælles kursus om digitale fællesskaber med Glostrup.",
            approval_meeting=meeting,
            approval_note="Godkendt.",
            approved_by=consultant,
            approved_at=_at(held, 16),
            created_by=consultant,
        )
        meeting_services.meeting_create(
            body=kredsraad,
            organiser=consultant,
            title=f"Kredsrådet: samarbejdsplan {next_year}",
            starts_at=_at(date(next_year, 2, 12), 10),
            ends_at=_at(date(next_year, 2, 12), 12),
            location="Københavns Vestegns Politi, Glostrup",
            notify=False,
        )
        cooperation.cooperation_plan_draft(kredsraad=kredsraad, year=next_year, by=consultant)
