"""Celery tasks of the organisation: thin adapters around services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from forum import confirmations


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def run_entry_confirmations() -> int:
    """Every morning: the spring confirmation's round, opened in its month, and its mails to
    every actor not mailed yet (each once, however often this runs)."""
    return confirmations.rounds_run()
