"""Celery tasks of the cases app: thin adapters around services, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from cases import retention, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def expire_shares() -> int:
    """End §115 shares whose expiry has passed (every minute)."""
    return services.shares_expire()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def apply_retention() -> dict[str, int]:
    """Nightly: delete what has passed its retention period, unless on legal hold."""
    report = retention.retention_run()
    logger.info("Retention deleted %s", report.deleted)
    return report.deleted
