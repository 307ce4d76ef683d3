"""Celery tasks of the organisation: thin adapters around services, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from forum import confirmations, logins


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def run_entry_confirmations() -> int:
    """Every morning: the spring confirmation's round, opened in its month, and its mails to
    every actor not mailed yet (each once, however often this runs)."""
    return confirmations.rounds_run()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def deliver_held_login(held_id: int) -> bool:
    """Give one queued held login its login (once, however often this runs)."""
    return logins.held_login_deliver(held_id=held_id)


@shared_task
def sweep_held_logins() -> int:
    """Every minute: hand over again a queued held login whose task was lost."""
    return logins.held_logins_sweep()
