"""Reads for statistics and exports from a PostgreSQL streaming replica, when there is one.

With DATABASE_REPLICA_URL set (ssp/settings.py adds the `replica` database alias), the views
named in REPLICA_VIEWS read through the replica; everything else, and every write from those
views too (the access log's rows are writes), goes to the primary:
- `ReplicaReadsMiddleware` marks a request to one of those views (by URL name) for the time
  the view and its rendering run; nothing else does, so a page that writes and then reads its
  own write never meets the replica's lag;
- `ReplicaRouter` sends the reads of a marked request to the replica when it is usable, and
  every write, always, to the primary (also for an object read from the replica);
- the replica is usable when it answers and has replayed everything the primary had written
  when it was asked, or is at most DATABASE_REPLICA_MAX_LAG_SECONDS behind. Each process asks
  at most every DATABASE_REPLICA_CHECK_SECONDS; while it is unusable the reads go to the
  primary. The views, selectors and permission checks are the same either way: only the
  connection differs.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
_reads_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "ssp_reads_from_replica", default=False
)
_lock = threading.Lock()
_health: dict[str, Any] = {"checked_at": None, "usable": False}


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _measure() -> bool:
    """Ask the primary where its log is, then whether the replica has replayed that far (or
    how far behind its last replayed transaction is)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() THEN NULL "
                       "ELSE pg_current_wal_lsn() END")  # fmt: skip
        _in_recovery, primary_lsn = cursor.fetchone()
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT pg_is_in_recovery(),"
            " pg_last_wal_replay_lsn() >= %s::pg_lsn,"
            " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())",
            [primary_lsn or "0/0"],
        )
        in_recovery, caught_up, lag = cursor.fetchone()
    if not in_recovery:
        return True  # the same server under another name, or a promoted one: never behind
    if caught_up:
        return True
    return lag is not None and lag <= settings.DATABASE_REPLICA_MAX_LAG_SECONDS


def replica_usable(*, fresh: bool = False) -> bool:
    """Whether reads may go to the replica now (asked at most every few seconds per process)."""
    if not replica_configured():
        return False
    now = time.monotonic()
    with _lock:
        checked_at = _health["checked_at"]
        if (
            not fresh
            and checked_at is not None
            and now - checked_at < settings.DATABASE_REPLICA_CHECK_SECONDS
        ):
            return _health["usable"]
        try:
            usable = _measure()
        except DatabaseError:
            usable = False
            # A connection the replica dropped must not be reused by the next check.
            connections[REPLICA].close()
        if usable != _health["usable"] or checked_at is None:
            logger.warning("Replica %s", "in use" if usable else "unusable: reading the primary")
        _health.update(checked_at=time.monotonic(), usable=usable)
        return usable


def replica_failed() -> None:
    """The replica failed under a request: read the primary until the next check."""
    with _lock:
        _health.update(checked_at=time.monotonic(), usable=False)
    connections[REPLICA].close()
    logger.warning("Replica failed during a request: reading the primary")


def forget_replica_health() -> None:
    """The next read asks the replica again (for tests and after a configuration change)."""
    with _lock:
        _health.update(checked_at=None, usable=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica when it is usable; writes still go to the primary."""
    token = _reads_from_replica.set(True)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


def reading_database() -> str:
    """The alias the reads of this moment go to."""
    if _reads_from_replica.get() and replica_usable():
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Reads of a marked request to the replica; every other read and every write to the
    primary, whichever database an object was read from."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return reading_database()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Marks requests to the views of REPLICA_VIEWS (URL names) so their reads may go to the
    replica, for the view and the rendering of its response. When the replica fails in the
    middle of one (it stopped between two health checks), the view runs again on the primary:
    these views only read (GET), so running one twice is safe."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reads_from_replica.set(False)
        try:
            response = self.get_response(request)
            if getattr(response, "is_rendered", True) is False:
                response.render()  # a TemplateResponse reads while it renders
            return response
        finally:
            _reads_from_replica.reset(token)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        match = request.resolver_match
        if match is not None and match.view_name in settings.REPLICA_VIEWS:
            _reads_from_replica.set(replica_configured())
            request._replica_view = (view, args, kwargs)  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        replica_view = getattr(request, "_replica_view", None)
        if (
            replica_view is None
            or request.method not in ("GET", "HEAD")
            or not isinstance(exception, DatabaseError)
            or not _reads_from_replica.get()
            or not _replica_broken()
        ):
            return None
        replica_failed()
        request._replica_view = None  # type: ignore[attr-defined]  # once
        view, args, kwargs = replica_view
        return view(request, *args, **kwargs)


def _replica_broken() -> bool:
    """Whether the replica's connection is the one that failed (the primary's may have too)."""
    connection = connections[REPLICA]
    return connection.connection is None or not connection.is_usable()
