"""A real Celery worker on the real Redis broker runs the project's tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from ssp import tasks

pytestmark = pytest.mark.celery_worker


def test_ping_task_runs_on_a_real_worker(celery_worker_process) -> None:
    result = tasks.ping.apply_async()
    # Results are not stored; the worker's log shows the task succeeded.
    celery_worker_process.wait_for_log(f"Task ssp.tasks.ping[{result.id}] succeeded", timeout=30)


@pytest.mark.django_db
def test_clear_expired_sessions_deletes_only_expired_sessions() -> None:
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="x", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="new", session_data="x", expire_date=now + timedelta(days=1))

    deleted = tasks.clear_expired_sessions()

    assert deleted == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
