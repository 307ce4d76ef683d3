"""`manage.py preflight` says in one sentence which service is down and how to start it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_preflight_succeeds_when_postgresql_and_redis_are_up() -> None:
    out = io.StringIO()

    call_command("preflight", "--no-create", stdout=out)

    assert "PostgreSQL and Redis are reachable." in out.getvalue()


def test_preflight_names_redis_when_it_is_down_and_how_to_start_it(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    with pytest.raises(CommandError) as caught:
        call_command("preflight", "--no-create", stdout=io.StringIO())

    message = str(caught.value)
    assert "Redis is not reachable at redis://127.0.0.1:1/0" in message
    assert "docker compose up -d db redis" in message
    assert "redis-server" in message


def test_preflight_names_the_celery_broker_when_it_is_down(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    with pytest.raises(CommandError, match=r"Redis is not reachable at redis://127\.0\.0\.1:1/0"):
        call_command("preflight", "--no-create", stdout=io.StringIO())


def test_preflight_names_postgresql_when_it_is_down_and_how_to_start_it(
    settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # Only the command's own connection reads this; the test opens no Django connection.
    monkeypatch.setitem(settings.DATABASES["default"], "HOST", "127.0.0.1")
    monkeypatch.setitem(settings.DATABASES["default"], "PORT", "1")

    with pytest.raises(CommandError) as caught:
        call_command("preflight", "--no-create", stdout=io.StringIO())

    message = str(caught.value)
    assert "PostgreSQL is not reachable at 127.0.0.1:1" in message
    assert "docker compose up -d db redis" in message
    assert "pg_ctlcluster" in message
