"""Celery tasks of the import: thin adapters around services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from orgimport import services


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def purge_uploads() -> int:
    """Every hour: delete the uploaded spreadsheets older than a day, confirmed or not (an
    administrator's file of names and emails is kept no longer than its import needs)."""
    return services.import_purge()
