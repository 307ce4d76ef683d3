"""Celery tasks of the meetings app: thin adapters around services, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from meetings import reminders, services
from meetings.models import MeetingSeries


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def extend_series() -> int:
    """Nightly: plan the occurrences of open-ended series that have come within the horizon."""
    created = 0
    for series in MeetingSeries.objects.filter(ended_at__isnull=True).select_related("body"):
        created += len(services.series_extend(series))
    return created


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def schedule_reminders() -> int:
    """Every morning: reminders about actions, follow-ups and the yearly cycle."""
    return reminders.schedule_daily()


@shared_task(acks_late=True)
def dispatch_reminders() -> int:
    """Every minute: claim the due reminders and hand them to workers once the claim has
    committed, so a worker that picks a batch up finds its rows queued."""
    with transaction.atomic():
        batches = reminders.claim_due()
        transaction.on_commit(lambda: [send_reminders.delay(ids) for ids in batches])
    return sum(len(ids) for ids in batches)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=8,
)
def send_reminders(ids: list[int]) -> int:
    return reminders.send(ids)
