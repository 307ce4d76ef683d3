"""Housekeeping tasks of the shared core. Tasks are thin: they call a function and return."""

from __future__ import annotations

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry, so signed-out data does not linger in the database."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def ping() -> str:
    """Answers "pong": lets tests and operators see that a worker executes tasks."""
    return "pong"
