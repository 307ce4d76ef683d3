"""Times read from PostgreSQL by psycopg's C parser instead of Django's Python one.

Django 5.2 registers its own loader for `timestamptz` on every connection: a subclass of
psycopg's pure-Python loader whose `load` parses the text in Python and then sets the time zone
Django works in. A subclass is never swapped for psycopg's C implementation, so every time a
page reads is parsed in Python: 3 µs a value against 0.4 µs in C on the benchmark machine, and
a case list reads a few hundred (docs/benchmarks.md, "Times parsed in C").

When Django works in UTC (USE_TZ with no database TIME_ZONE) and the session's time zone is
UTC (Django sets it so when it connects), psycopg's C loader already returns datetimes in
`datetime.timezone.utc`: exactly what Django's loader returns. `use_c_timestamp_loader`, run
for each new connection, then registers a loader that hands the text to the C parser. In any
other configuration it leaves Django's loader in place.
"""

from __future__ import annotations

import datetime
from typing import Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg.abc import AdaptContext, Buffer
from psycopg.adapt import Loader
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader as PythonTimestamptzLoader

TIMESTAMPTZ = "timestamptz"
# psycopg's own choice for the type: its C loader when psycopg runs on its C implementation
# (psycopg[binary] or psycopg[c]), else the Python one, which this module then leaves alone.
_C_LOADER = psycopg.adapters.get_loader(psycopg.adapters.types[TIMESTAMPTZ].oid, Format.TEXT)
C_PARSER_AVAILABLE = _C_LOADER is not None and _C_LOADER is not PythonTimestamptzLoader


class UTCTimestamptzLoader(Loader):
    """`timestamptz` read in UTC by psycopg's C loader (which cannot be subclassed)."""

    # Django's `create_cursor` compares this with the connection's time zone and registers its
    # own loader on each cursor when they differ.
    timezone = datetime.UTC

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        # The C loader reads the session's time zone when it is made: UTC, see below.
        self._load = _C_LOADER(oid, context).load

    def load(self, data: Buffer) -> datetime.datetime:
        return self._load(data)


def use_c_timestamp_loader(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: parse the new connection's times in C where the result
    is the same as Django's."""
    if connection.vendor != "postgresql" or not C_PARSER_AVAILABLE:
        return
    if connection.timezone != datetime.UTC:
        return
    raw = connection.connection
    if raw.info.parameter_status("TimeZone") != "UTC":
        return
    raw.adapters.register_loader(TIMESTAMPTZ, UTCTimestamptzLoader)
