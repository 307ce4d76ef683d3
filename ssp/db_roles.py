"""The app's two database roles: the owner runs the migrations, the runtime role runs the app.

The database keeps some rules itself: the access log is append-only, submitted concerns and
notes are court-safe, a published ActionCard edition is frozen (triggers in the migrations).
A trigger binds only a role that cannot switch it off. The owner of a table (and any
superuser) can `TRUNCATE` it (no row trigger fires), `ALTER TABLE … DISABLE TRIGGER` and, as a
superuser, `SET session_replication_role = replica`. So web and Celery connect as a role that
owns nothing (`DATABASE_URL`), and only `migrate` (and `flush`, which empties tables) connect
as the owner (`DATABASE_MIGRATE_URL`).

The runtime role gets exactly what the app does with rows: SELECT, INSERT, UPDATE, DELETE on the
tables, USAGE on the sequences; on the access log only SELECT and INSERT (the retention job
purges through `ssp_auditevent_purge`, a function that runs as the owner and deletes only what
the trigger allows); on `django_migrations` only SELECT. `grant_runtime_privileges` sets this
after every `migrate` and sets the owner's default privileges so a table a later migration
creates is granted the same way. `runtime_role_problems` is what `preflight` checks before the
app starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql

AUDIT_TABLE = "ssp_auditevent"
AUDIT_PURGE_FUNCTION = "ssp_auditevent_purge"
MIGRATIONS_TABLE = "django_migrations"
# What a connection needs to log in as another role; NAME stays (the tests' database differs).
LOGIN_KEYS = ("USER", "PASSWORD", "HOST", "PORT")
# What the app does with rows; TRUNCATE, REFERENCES, TRIGGER (and MAINTAIN) it never needs.
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


def split_roles() -> bool:
    """True when migrations run as a role of their own (DATABASE_MIGRATE_URL names another role)."""
    owner = settings.DATABASE_MIGRATE
    return owner is not None and owner["USER"] != settings.DATABASE_RUNTIME_ROLE


def owner_login() -> dict[str, Any]:
    """Where and as whom the owner connects: DATABASE_MIGRATE_URL, or DATABASE_URL's role when
    one role does both."""
    source = settings.DATABASE_MIGRATE or settings.DATABASES["default"]
    return {key: source.get(key) or "" for key in LOGIN_KEYS}


@contextmanager
def connected_as_owner(alias: str = "default") -> Iterator[None]:
    """Let Django's connection log in as the owner for the block, then as before.

    `migrate` and `flush` use this: they change or empty tables, which only the owner may.
    """
    connection = connections[alias]
    login = owner_login()
    if connection.settings_dict.get("USER") == login["USER"]:
        yield  # Already the owner (one role does both, or a caller switched already).
        return
    saved = {key: connection.settings_dict.get(key) for key in LOGIN_KEYS}
    connection.close()
    connection.settings_dict.update(login)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def _quoted(connection: BaseDatabaseWrapper, composable: sql.Composable) -> str:
    connection.ensure_connection()
    return composable.as_string(connection.connection)


def grant_runtime_privileges(*, connection: BaseDatabaseWrapper, runtime: str) -> list[str]:
    """Give `runtime` what the app needs on every table of the schema and take back anything
    more; the connection must be the owner's. Idempotent: `migrate` runs it every time.

    Returns the statements run (for `--verbosity 2` and the tests).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, current_schema(), to_regclass(%s) IS NOT NULL, "
            "to_regclass(%s) IS NOT NULL, "
            "to_regprocedure(%s) IS NOT NULL",
            [
                AUDIT_TABLE,
                MIGRATIONS_TABLE,
                f"{AUDIT_PURGE_FUNCTION}(timestamp with time zone, bigint[], bigint[])",
            ],
        )
        owner, schema, has_audit, has_migrations, has_purge = cursor.fetchone()
    role, owner_role, where = sql.Identifier(runtime), sql.Identifier(owner), sql.Identifier(schema)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(where, role),
        # PostgreSQL before 15 let every role create tables in `public`.
        sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC, {}").format(where, role),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(where, role),
        sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA {} TO {}").format(
            sql.SQL(TABLE_PRIVILEGES), where, role
        ),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(where, role),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(where, role),
        # Tables and sequences later migrations create (as the owner) are granted alike.
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT {} ON TABLES TO {}"
        ).format(owner_role, where, sql.SQL(TABLE_PRIVILEGES), role),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES "
            "TO {}"
        ).format(owner_role, where, role),
    ]
    if has_audit:
        statements.append(
            sql.SQL("REVOKE UPDATE, DELETE ON TABLE {}.{} FROM {}").format(
                where, sql.Identifier(AUDIT_TABLE), role
            )
        )
    if has_migrations:
        statements.append(
            sql.SQL("REVOKE INSERT, UPDATE, DELETE ON TABLE {}.{} FROM {}").format(
                where, sql.Identifier(MIGRATIONS_TABLE), role
            )
        )
    if has_purge:
        statements.append(
            sql.SQL(
                "GRANT EXECUTE ON FUNCTION {}.{}(timestamp with time zone, bigint[], bigint[]) "
                "TO {}"
            ).format(where, sql.Identifier(AUDIT_PURGE_FUNCTION), role)
        )
    rendered = [_quoted(connection, statement) for statement in statements]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in rendered:
            cursor.execute(statement)
    return rendered


def runtime_role_problems(connection: BaseDatabaseWrapper | psycopg.Connection[Any]) -> list[str]:
    """What the role of `connection` (Django's or psycopg's) could do to get round the
    database's own rules, in words.

    Empty for a proper runtime role. Checked by `preflight` before the app starts.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolcreaterole,
                   has_schema_privilege(current_schema(), 'CREATE'),
                   (SELECT count(*) FROM pg_class c
                     WHERE c.relnamespace = current_schema()::regnamespace
                       AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
                       AND pg_has_role(current_user, c.relowner, 'MEMBER')),
                   to_regclass(%(audit)s) IS NOT NULL
                     AND (has_table_privilege(%(audit)s, 'UPDATE')
                          OR has_table_privilege(%(audit)s, 'DELETE')
                          OR has_table_privilege(%(audit)s, 'TRUNCATE')),
                   current_setting('server_version_num')::int >= 150000
                     AND has_parameter_privilege('session_replication_role', 'SET')
            FROM pg_roles r WHERE r.rolname = current_user
            """,
            {"audit": AUDIT_TABLE},
        )
        name, superuser, bypassrls, createrole, creates, owned, audit_writable, replica = (
            cursor.fetchone()
        )
    checks = [
        (superuser, "is a superuser"),
        (bypassrls, "bypasses row-level security (BYPASSRLS)"),
        (createrole, "may create roles and grant itself the owner's (CREATEROLE)"),
        (owned, f"owns (or may become the owner of) {owned} of the app's tables and sequences"),
        (creates, "may create tables in the app's schema"),
        (audit_writable, "may UPDATE, DELETE or TRUNCATE the access log"),
        (replica, "may SET session_replication_role (switches every trigger off)"),
    ]
    return [f'The database role "{name}" {text}.' for failed, text in checks if failed]
