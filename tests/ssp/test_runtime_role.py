"""The app's database role cannot get round the access log's append-only rule (ssp/db_roles.py).

The trigger on the access log refuses UPDATE and DELETE, but a table's owner (or a superuser)
could still TRUNCATE it, switch the trigger off, or switch every trigger off with
`session_replication_role = replica`. These tests connect as the runtime role (the role of
DATABASE_URL when the suite runs with two roles; otherwise a role made for this module and
granted exactly as `migrate` grants it) and try each way round, and the things the app does.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql
from psycopg.errors import InsufficientPrivilege

from ssp.db_roles import (
    AUDIT_TABLE,
    grant_runtime_privileges,
    owner_login,
    runtime_role_problems,
    split_roles,
)

pytestmark = pytest.mark.django_db


def _login(user: str, password: str | None = None) -> dict[str, Any]:
    db = connection.settings_dict
    return {
        "dbname": db["NAME"],
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": user,
        "password": password or None,
    }


@pytest.fixture(scope="module")
def runtime_login(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """How to log in to the test database as the runtime role."""
    if split_roles():
        db = connection.settings_dict
        yield _login(settings.DATABASE_RUNTIME_ROLE, db.get("PASSWORD"))
        return
    # One role does everything here (e.g. the postgres superuser): make a runtime role for this
    # test database (roles are the whole server's, database names are this run's own) and grant
    # it as `migrate` would with two roles.
    role = f"{connection.settings_dict['NAME']}_runtime"[:63]
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                cursor.execute(
                    sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)).as_string()
                )
        grant_runtime_privileges(connection=connection, runtime=role)
    yield _login(role)
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)).as_string())
        cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)).as_string())


@pytest.fixture
def runtime(runtime_login: dict[str, Any]) -> Iterator[psycopg.Connection[Any]]:
    """A connection as the runtime role; whatever a test does is rolled back."""
    with psycopg.connect(**runtime_login) as conn:
        yield conn
        conn.rollback()


@pytest.fixture
def owner() -> Iterator[psycopg.Connection[Any]]:
    """A connection as the role that owns the tables (autocommit: the runtime role must see
    what it creates)."""
    login = owner_login()
    params = _login(login["USER"], login["PASSWORD"])
    with psycopg.connect(**params, autocommit=True) as conn:
        yield conn


def _refused(conn: psycopg.Connection[Any], statement: str) -> str:
    """Run `statement` and return PostgreSQL's refusal; fail if it was allowed."""
    with pytest.raises(InsufficientPrivilege) as refusal, conn.transaction():
        conn.execute(statement)
    return str(refusal.value)


def _audit_rows(conn: psycopg.Connection[Any]) -> int:
    return conn.execute("SELECT count(*) FROM ssp_auditevent").fetchone()[0]


# ---- The three ways round the trigger, and the trigger's own two --------------------------


def test_the_runtime_role_cannot_truncate_the_access_log(runtime) -> None:  # type: ignore[no-untyped-def]
    before = _audit_rows(runtime)

    message = _refused(runtime, "TRUNCATE ssp_auditevent")

    assert "permission denied for table ssp_auditevent" in message
    assert before > 0, "the demo's access log has rows"
    assert _audit_rows(runtime) == before


def test_the_runtime_role_cannot_switch_the_append_only_trigger_off(runtime) -> None:  # type: ignore[no-untyped-def]
    for statement in (
        "ALTER TABLE ssp_auditevent DISABLE TRIGGER ssp_auditevent_append_only",
        "ALTER TABLE ssp_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER ssp_auditevent_append_only ON ssp_auditevent",
        "ALTER TABLE cases_concern DISABLE TRIGGER cases_concern_court_safe",
    ):
        assert "must be owner of" in _refused(runtime, statement), statement

    enabled = runtime.execute(
        "SELECT tgenabled FROM pg_trigger WHERE tgname = 'ssp_auditevent_append_only'"
    ).fetchone()
    assert enabled == ("O",), "the trigger fires as always"


def test_the_runtime_role_cannot_switch_every_trigger_off_as_a_replica(runtime) -> None:  # type: ignore[no-untyped-def]
    for statement in (
        "SET session_replication_role = replica",
        "SET LOCAL session_replication_role = replica",
        "SELECT set_config('session_replication_role', 'replica', false)",
    ):
        message = _refused(runtime, statement)
        assert 'permission denied to set parameter "session_replication_role"' in message


def test_the_runtime_role_may_not_update_or_delete_the_access_log(runtime) -> None:  # type: ignore[no-untyped-def]
    for statement in (
        "UPDATE ssp_auditevent SET purpose = 'skjult'",
        "DELETE FROM ssp_auditevent",
    ):
        assert "permission denied for table ssp_auditevent" in _refused(runtime, statement)


def test_the_runtime_role_may_not_truncate_any_table_or_create_one(runtime) -> None:  # type: ignore[no-untyped-def]
    assert "permission denied for table cases_note" in _refused(runtime, "TRUNCATE cases_note")
    assert "permission denied for schema public" in _refused(
        runtime, "CREATE TABLE ssp_shadow (id int)"
    )


# ---- What the app does still works --------------------------------------------------------


def test_the_runtime_role_reads_writes_and_appends_to_the_access_log(runtime) -> None:  # type: ignore[no-untyped-def]
    columns = [
        name
        for (name,) in runtime.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name <> 'id'",
            [AUDIT_TABLE],
        )
    ]
    listed = sql.SQL(", ").join(map(sql.Identifier, columns))
    before = _audit_rows(runtime)

    runtime.execute(
        sql.SQL("INSERT INTO {table} ({cols}) SELECT {cols} FROM {table} LIMIT 1").format(
            table=sql.Identifier(AUDIT_TABLE), cols=listed
        )
    )
    runtime.execute(
        "INSERT INTO django_session (session_key, session_data, expire_date) "
        "VALUES ('runtime-role-probe', 'x', now())"
    )
    runtime.execute(
        "UPDATE django_session SET session_data = 'y' WHERE session_key = 'runtime-role-probe'"
    )
    deleted = runtime.execute(
        "DELETE FROM django_session WHERE session_key = 'runtime-role-probe'"
    ).rowcount
    # The retention job's purge: through the owner's function, never a DELETE of its own.
    purged = runtime.execute(
        "SELECT ssp_auditevent_purge(now() - interval '400 days', NULL, '{}')"
    ).fetchone()

    assert _audit_rows(runtime) == before + 1
    assert deleted == 1
    assert purged == (0,), "the demo has no rows that old"


def test_a_table_a_later_migration_creates_is_granted_to_the_runtime_role(runtime, owner) -> None:  # type: ignore[no-untyped-def]
    owner.execute("CREATE TABLE ssp_probe_later_table (id bigint GENERATED BY DEFAULT AS IDENTITY)")
    try:
        runtime.execute("INSERT INTO ssp_probe_later_table DEFAULT VALUES")
        rows = runtime.execute("SELECT count(*) FROM ssp_probe_later_table").fetchone()
        runtime.rollback()
        message = _refused(runtime, "TRUNCATE ssp_probe_later_table")
    finally:
        owner.execute("DROP TABLE ssp_probe_later_table")

    assert rows == (1,)
    assert "permission denied" in message


# ---- The check before the app starts ------------------------------------------------------


def test_the_check_finds_nothing_wrong_with_the_runtime_role(runtime) -> None:  # type: ignore[no-untyped-def]
    assert runtime_role_problems(runtime) == []


def test_the_check_names_what_the_owner_could_do(owner) -> None:  # type: ignore[no-untyped-def]
    problems = " ".join(runtime_role_problems(owner))

    assert "of the app's tables and sequences" in problems
    assert "may UPDATE, DELETE or TRUNCATE the access log" in problems


def test_production_preflight_refuses_an_app_that_runs_as_the_owner(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    login = owner_login()
    settings.PRODUCTION = True
    # Only the command's own connection reads these; the test's connection stays as it is.
    monkeypatch.setitem(settings.DATABASES["default"], "USER", login["USER"])
    monkeypatch.setitem(settings.DATABASES["default"], "PASSWORD", login["PASSWORD"])

    with pytest.raises(CommandError) as caught:
        call_command("preflight", "--no-create", stdout=io.StringIO())

    assert f'The database role "{login["USER"]}"' in str(caught.value)
    assert "owns (or may become the owner of)" in str(caught.value)
    assert "DATABASE_MIGRATE_URL" in str(caught.value)


def test_production_preflight_accepts_the_runtime_role(
    settings, monkeypatch, runtime_login
) -> None:  # type: ignore[no-untyped-def]
    settings.PRODUCTION = True
    monkeypatch.setitem(settings.DATABASES["default"], "USER", runtime_login["user"])
    monkeypatch.setitem(settings.DATABASES["default"], "PASSWORD", runtime_login["password"])
    out = io.StringIO()

    call_command("preflight", "--no-create", stdout=out)

    assert "PostgreSQL and Redis are reachable." in out.getvalue()
    assert "Production refuses" not in out.getvalue()
