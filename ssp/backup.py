"""Backup archives shared by `manage.py backup` and `manage.py restore`.

An archive is one uncompressed tar holding three members: `database.dump` (pg_dump's custom
format, already compressed, with the stored files: they are rows of `ssp_storedfile`),
`files.tar` (whatever is left under PRIVATE_MEDIA_ROOT from before files moved into the
database, normally nothing) and
`manifest.json` (when, from which database, the migration state, row counts per table and the
sha256 of the other two). The manifest lets a restore refuse a damaged archive before it
touches anything, and check afterwards that every row came back.

The PostgreSQL client programs are run with argument lists, never through a shell, and the
password travels in PGPASSWORD so it never shows up in `ps`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.core.management.base import CommandError
from psycopg import sql

from ssp.db_roles import owner_login

ARCHIVE_FORMAT = 1
MANIFEST_NAME = "manifest.json"
DUMP_NAME = "database.dump"
FILES_NAME = "files.tar"
MEMBER_NAMES = (MANIFEST_NAME, DUMP_NAME, FILES_NAME)
# Connect here to ask whether a database exists; every PostgreSQL cluster has it.
MAINTENANCE_DATABASE = "postgres"


@dataclass(frozen=True)
class Server:
    """Where the configured database lives, for psycopg and for the client programs."""

    host: str | None
    port: str | None
    user: str | None
    password: str | None

    @classmethod
    def from_settings(cls) -> Server:
        # As the owner (ssp/db_roles.py): the runtime role may not create a database to restore
        # into, and the restored tables belong to the owner like the originals.
        db = owner_login()
        return cls(
            host=db.get("HOST") or None,
            port=str(db["PORT"]) if db.get("PORT") else None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
        )

    def cli_args(self) -> list[str]:
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return [*args, "--no-password"]  # never wait for a prompt nobody answers

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, dbname: str, **kwargs: Any) -> psycopg.Connection[Any]:
        return psycopg.connect(
            dbname=dbname,
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            connect_timeout=10,
            **kwargs,
        )

    def database_exists(self, name: str) -> bool:
        with self.connect(MAINTENANCE_DATABASE, autocommit=True) as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        return row is not None

    def drop_database(self, name: str) -> None:
        with self.connect(MAINTENANCE_DATABASE, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))

    def run(self, program: str, args: Sequence[str]) -> None:
        """Run a PostgreSQL client program; its own error message is the clearest one."""
        executable = shutil.which(program)
        if executable is None:
            raise CommandError(
                f"{program} was not found on PATH. Install the PostgreSQL client programs "
                "(Debian: apt-get install postgresql-client) in the same major version as the "
                "server or newer."
            )
        result = subprocess.run(  # noqa: S603 - fixed program, arguments as a list
            [executable, *self.cli_args(), *args],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
            raise CommandError(f"{program} failed: {detail}")


def user_tables(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    """Every ordinary table outside PostgreSQL's own schemas, as (schema, table)."""
    return conn.execute(
        """
        SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE'
          AND table_schema NOT IN ('pg_catalog', 'information_schema')
          AND table_schema NOT LIKE 'pg\\_%'
        ORDER BY table_schema, table_name
        """
    ).fetchall()


def row_counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Exact row counts per table (public tables by their bare name), to compare after a restore."""
    counts = {}
    for schema, table in user_tables(conn):
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table))
        row = conn.execute(query).fetchone()
        counts[table if schema == "public" else f"{schema}.{table}"] = row[0] if row else 0
    return counts


def migration_state(conn: psycopg.Connection[Any]) -> dict[str, str]:
    """The last migration applied per app: what code version a restored database needs."""
    rows = conn.execute(
        """
        SELECT DISTINCT ON (app) app, name FROM django_migrations
        ORDER BY app, applied DESC, id DESC
        """
    ).fetchall()
    return dict(rows)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
