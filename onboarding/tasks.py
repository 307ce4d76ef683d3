"""Celery tasks of the onboarding app: thin adapters around services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from onboarding import services


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def deliver_welcome(welcome_id: int) -> bool:
    return services.welcome_deliver(welcome_id=welcome_id)


@shared_task(acks_late=True)
def sweep_welcomes() -> int:
    return services.welcomes_sweep()
