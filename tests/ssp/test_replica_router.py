"""Statistics and exports read from the replica when one is configured and usable, and from
the primary when it does not answer (ssp/replica.py); writes always go to the primary."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.models import Municipality
from ssp.replica import REPLICA, forget_replica_health, replica_reads, replica_usable
from tests.personas import Personas

pytestmark = pytest.mark.django_db

UNDECLARED = "replica_under_test"
PAGES = ("", "statistik.csv", "forebyggelse/")


def _dead_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def replica_alias(db) -> Iterator[Callable[..., None]]:  # type: ignore[no-untyped-def]
    """Configure the `replica` alias as DATABASE_REPLICA_URL would, pointing where the test
    says: a second connection to the test database (committed rows only: the seeded demo), or
    a dead port."""

    def configure(**changes: object) -> None:
        settings_dict = {**connections["default"].settings_dict, **changes}
        connections.settings[REPLICA] = settings_dict
        # Django's test case refuses connections to aliases the test did not declare, unless
        # they were made on the fly: this one is, under the `replica` name the router uses.
        wrapper = DatabaseWrapper(settings_dict, alias=UNDECLARED)
        connections[REPLICA] = connections[UNDECLARED] = wrapper
        forget_replica_health()

    yield configure
    connections[UNDECLARED].close()
    del connections[REPLICA]
    del connections[UNDECLARED]
    connections.settings.pop(REPLICA, None)
    forget_replica_health()


def _statistics_url(page: str) -> str:
    glostrup = Municipality.objects.get(code="161")
    return f"/statistik/{glostrup.pk}/{page}"


FIGURE_TABLES = ('"cases_', '"prevention_')


def _concern_queries(queries: CaptureQueriesContext) -> list[str]:
    """The queries that read the figures (concerns, cases, prevention activities)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and any(table in q["sql"] for table in FIGURE_TABLES)
    ]


@pytest.mark.parametrize("page", PAGES)
def test_statistics_are_read_from_a_usable_replica(
    client: Client, personas: Personas, replica_alias, page: str
) -> None:  # type: ignore[no-untyped-def]
    replica_alias()
    client.force_login(personas.consultant)
    url = _statistics_url(page)

    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(url)

    assert response.status_code == 200
    assert _concern_queries(replica), "the figures were not read from the replica"
    assert _concern_queries(primary) == []
    # The session and the access log stay on the primary.
    assert not any("INSERT" in q["sql"] for q in replica.captured_queries)
    assert not any("django_session" in q["sql"] for q in replica.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_statistics_fall_back_to_the_primary_when_the_replica_does_not_answer(
    client: Client, personas: Personas, replica_alias, page: str
) -> None:  # type: ignore[no-untyped-def]
    replica_alias(PORT=str(_dead_port()))
    client.force_login(personas.consultant)
    url = _statistics_url(page)

    with CaptureQueriesContext(connections["default"]) as primary:
        response = client.get(url)

    assert response.status_code == 200
    assert _concern_queries(primary), "the figures were not read from the primary"
    assert replica_usable() is False
    # The same page with no replica configured at all is the same page.
    replica_reads_page = response.content
    connections.settings.pop(REPLICA)
    forget_replica_health()
    assert client.get(url).content.count(b"<table") == replica_reads_page.count(b"<table")


def test_only_the_named_views_read_from_the_replica(
    client: Client, personas: Personas, replica_alias
) -> None:  # type: ignore[no-untyped-def]
    replica_alias()
    client.force_login(personas.consultant)

    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert client.get("/sager/").status_code == 200
        assert client.get("/").status_code == 200

    assert replica.captured_queries == []


def test_writes_go_to_the_primary_even_inside_replica_reads(
    personas: Personas, replica_alias
) -> None:  # type: ignore[no-untyped-def]
    replica_alias()
    with (
        replica_reads(),
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        user = type(personas.consultant).objects.get(pk=personas.consultant.pk)
        assert user._state.db == REPLICA
        user.full_name = "Omdøbt Konsulent"
        user.save(update_fields=["full_name"])

    assert any("UPDATE" in q["sql"] for q in primary.captured_queries)
    assert not any("UPDATE" in q["sql"] for q in replica.captured_queries)
    personas.consultant.refresh_from_db()
    assert personas.consultant.full_name == "Omdøbt Konsulent"


def test_a_replica_that_fails_during_a_request_is_left_and_the_page_read_from_the_primary(
    client: Client, personas: Personas, replica_alias, settings
) -> None:  # type: ignore[no-untyped-def]
    """The replica answered the last health check, then went away (here its session is
    terminated; without the connection health check nothing notices before the first query):
    the view runs again on the primary instead of answering 500."""
    settings.DATABASE_REPLICA_CHECK_SECONDS = 600  # the request trusts the last check
    replica_alias(CONN_HEALTH_CHECKS=False)
    assert replica_usable(fresh=True) is True
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    client.force_login(personas.consultant)

    with CaptureQueriesContext(connections["default"]) as primary:
        response = client.get(_statistics_url(""))

    assert response.status_code == 200
    assert _concern_queries(primary), "the figures were not read again from the primary"
    assert replica_usable() is False  # until the next check
