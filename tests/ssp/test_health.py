"""/health/ answers 200 only when the database, Redis and a Celery worker are all up."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.celery_worker
def test_health_is_ok_when_database_redis_and_a_worker_are_up(
    client: Client, celery_worker_process
) -> None:
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "celery_worker": "ok"},
    }


def test_health_reports_a_missing_worker_with_503(client: Client) -> None:
    # No worker listens on this test worker's own broker database.
    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "ok", "celery_worker": "error"}


def test_health_reports_redis_down_with_503(client: Client, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 1

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "error"
    assert response.json()["checks"]["database"] == "ok"


def test_health_answers_without_login_and_is_never_cached(client: Client) -> None:
    response = client.get("/health/")

    assert "no-cache" in response["Cache-Control"]
    assert set(response.json()["checks"]) == {"database", "redis", "celery_worker"}
