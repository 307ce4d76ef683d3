"""Times are parsed by psycopg's C loader, with the same values Django's own loader gives
(ssp/timestamps.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.psycopg_any import BaseTzLoader, register_tzloader
from django.test import override_settings
from django.utils import timezone
from psycopg.pq import Format

from ssp.models import User
from ssp.timestamps import C_PARSER_AVAILABLE, UTCTimestamptzLoader
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TIMESTAMPTZ_OID = 1184
UTC = datetime.UTC

# Text PostgreSQL reads as a timestamptz, and the instant it is.
INSTANTS = [
    ("2026-12-06 10:11:12.123456+00", datetime.datetime(2026, 12, 6, 10, 11, 12, 123456, UTC)),
    # The last second before Denmark's summer time, written in Danish winter time.
    ("2026-03-29 01:59:59.999999+01", datetime.datetime(2026, 3, 29, 0, 59, 59, 999999, UTC)),
    ("2026-10-25 02:30:00+02", datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ("1999-12-31 23:59:59-05:30", datetime.datetime(2000, 1, 1, 5, 29, 59, tzinfo=UTC)),
    ("0001-01-01 00:00:00+00", datetime.datetime(1, 1, 1, tzinfo=UTC)),
    ("9999-12-31 23:59:59.999999+00", datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, UTC)),
]


def _loader_of(wrapper_cursor: object) -> type:
    return wrapper_cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)  # type: ignore[attr-defined]


@pytest.fixture
def second_connection() -> Iterator[object]:
    """A connection of its own, opened (and closed) by the test."""
    wrapper = connections.create_connection("default")
    yield wrapper
    wrapper.close()


def test_psycopg_runs_on_its_c_implementation() -> None:
    # The speed-up needs psycopg[binary] (pyproject.toml); without it nothing changes.
    assert C_PARSER_AVAILABLE


def test_each_cursor_reads_times_with_the_c_loader() -> None:
    with connection.cursor() as cursor:
        # Django registers a loader of its own on a cursor only when the connection's is
        # in another time zone: it must find this one in its own.
        assert _loader_of(cursor) is UTCTimestamptzLoader


@pytest.mark.parametrize(("text", "instant"), INSTANTS)
def test_times_read_are_the_instants_in_utc(text: str, instant: datetime.datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [text])
        (value,) = cursor.fetchone()
    assert value == instant
    assert value.tzinfo is UTC
    assert value.microsecond == instant.microsecond


def test_times_read_equal_what_djangos_loader_reads(second_connection: object) -> None:
    texts = [text for text, _instant in INSTANTS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::timestamptz[])", [texts])
        c_values = [row[0] for row in cursor.fetchall()]
    with second_connection.cursor() as cursor:  # type: ignore[attr-defined]
        # Django's loader, as every connection had it before.
        register_tzloader(UTC, cursor.cursor)
        assert issubclass(_loader_of(cursor), BaseTzLoader)
        cursor.execute("SELECT unnest(%s::timestamptz[])", [texts])
        django_values = [row[0] for row in cursor.fetchall()]
    assert c_values == django_values
    assert [value.tzinfo for value in c_values] == [value.tzinfo for value in django_values]


def test_a_model_time_round_trips() -> None:
    at = datetime.datetime(2026, 6, 1, 21, 59, 59, 654321, tzinfo=UTC)
    user = UserFactory(date_joined=at)
    read = User.objects.values_list("date_joined", flat=True).get(pk=user.pk)
    assert read == at
    assert read.tzinfo is UTC
    # Shown in Danish time as before.
    assert timezone.localtime(read).isoformat() == "2026-06-01T23:59:59.654321+02:00"


def test_without_time_zones_djangos_loader_stays(second_connection: object) -> None:
    with override_settings(USE_TZ=False):
        second_connection.ensure_connection()  # type: ignore[attr-defined]
        with second_connection.cursor() as cursor:  # type: ignore[attr-defined]
            assert _loader_of(cursor) is not UTCTimestamptzLoader
            cursor.execute("SELECT '2026-12-06 10:11:12+00'::timestamptz")
            (value,) = cursor.fetchone()
    # Django's loader: in the site's time (Europe/Copenhagen), the zone chopped.
    assert value == datetime.datetime(2026, 12, 6, 11, 11, 12)  # noqa: DTZ001 - naive, as read
