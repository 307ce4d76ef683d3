"""Celery tasks of the cases app: thin adapters around services, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from cases import retention, services
from cases.services import escalation

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def expire_shares() -> int:
    """Mark the bases whose expiry has passed as ended (every minute). Access ended at the
    expiry already: it is judged when a case is read. This keeps the record tidy."""
    return services.shares_expire()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def apply_retention() -> dict[str, int]:
    """Nightly: delete what has passed its retention period, unless on legal hold."""
    report = retention.retention_run()
    logger.info("Retention deleted %s", report.deleted)
    return report.deleted


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def escalate_concerns() -> int:
    """Every minute (and right after a concern comes in): fire the escalation steps that are
    due for concerns still not triaged. Each fires once per concern, however often this runs."""
    return escalation.concerns_escalate()
