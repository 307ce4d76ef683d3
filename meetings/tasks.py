"""Celery tasks of the meetings app: thin adapters around services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from meetings import services
from meetings.models import MeetingSeries


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def extend_series() -> int:
    """Nightly: plan the occurrences of open-ended series that have come within the horizon."""
    created = 0
    for series in MeetingSeries.objects.filter(ended_at__isnull=True).select_related("body"):
        created += len(services.series_extend(series))
    return created


@shared_task(acks_late=True)
def prune_registrations() -> int:
    """Nightly: forget outside invitees some days after their meeting."""
    from meetings.registration import registrations_prune

    return registrations_prune()
