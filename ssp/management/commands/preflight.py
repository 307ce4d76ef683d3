"""`manage.py preflight`: are PostgreSQL and Redis reachable? Create the database if missing.
Is the app's database role one that cannot switch off the database's own rules?

`make run` calls this first, so a newcomer gets one clear sentence instead of a traceback. In
development it also creates the two database roles (ssp/db_roles.py) when they are missing,
through the local `postgres` superuser that Debian's and the compose file's PostgreSQL trust.
In production it refuses to go on when the app's role is a superuser, owns the tables or may
otherwise get round the access log's append-only rule; the compose file runs it before the web
server and the workers start.
"""

from __future__ import annotations

from typing import Any

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

from ssp.db_roles import owner_login, runtime_role_problems, split_roles

START_HINT = (
    "Start it with `{local}`, or start both services in containers with "
    "`docker compose up -d db redis`."
)
PG_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
REDIS_START = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
# The superuser of a local development PostgreSQL, which may create the app's two roles.
BOOTSTRAP_USER = "postgres"
ROLE_HELP = (
    "Give the app a role of its own that owns nothing (DATABASE_URL) and migrate as the owner "
    "(DATABASE_MIGRATE_URL); docs/security.md, 'Database roles', says how."
)


def _params(login: dict[str, Any]) -> dict[str, Any]:
    return {
        "host": login.get("HOST") or None,
        "port": login.get("PORT") or None,
        "user": login.get("USER") or None,
        "password": login.get("PASSWORD") or None,
        "connect_timeout": 5,
    }


class Command(BaseCommand):
    help = (
        "Check that PostgreSQL and Redis are reachable and the app's database role is safe; "
        "create the database (and in development the two roles) if missing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-create",
            action="store_true",
            help="Only check that the servers answer; do not create a missing database (in "
            "development the two database roles are still created when missing).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        create = not options["no_create"]
        # The roles before the database: the tests need them too (the owner creates theirs).
        if split_roles() and not settings.PRODUCTION:
            self._create_missing_roles()
        exists = self._check_postgres(create=create)
        if exists and split_roles():
            self._check_owner_owns_the_tables()
        if exists:
            self._check_runtime_role()
        self._check_redis()
        self.stdout.write(self.style.SUCCESS("PostgreSQL and Redis are reachable."))

    def _check_postgres(self, *, create: bool) -> bool:
        """True when the database exists (now)."""
        db = settings.DATABASES["default"]
        params = _params(db)
        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        try:
            psycopg.connect(dbname=db["NAME"], **params).close()
            return True
        except psycopg.OperationalError as error:
            missing = f'database "{db["NAME"]}" does not exist' in str(error)
            if not missing:
                raise CommandError(
                    f"PostgreSQL is not reachable at {where}. {START_HINT.format(local=PG_START)}"
                ) from error
        if not create:
            return False  # The server answers; the tests create their own database.
        # The owner creates it, so it owns the database and with it the schema `public`.
        with psycopg.connect(dbname="postgres", autocommit=True, **_params(owner_login())) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        self.stdout.write(f'Created the database "{db["NAME"]}" on {where}.')
        return True

    def _create_missing_roles(self) -> None:
        """Development only: create the owner (who may create databases, also the tests') and
        the runtime role (who may only log in) if the server does not know them yet."""
        owner, runtime = owner_login()["USER"], settings.DATABASE_RUNTIME_ROLE
        params = {**_params(owner_login()), "user": BOOTSTRAP_USER, "password": None}
        try:
            conn = psycopg.connect(dbname="postgres", autocommit=True, **params)
        except psycopg.OperationalError:
            return  # Not a local trusting server: the roles are the administrator's to make.
        with conn:
            known = {
                name
                for (name,) in conn.execute(
                    "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", [[owner, runtime]]
                )
            }
            for name, attributes in ((owner, "LOGIN CREATEDB"), (runtime, "LOGIN")):
                if name in known:
                    continue
                conn.execute(sql.SQL("CREATE ROLE {} " + attributes).format(sql.Identifier(name)))
                self.stdout.write(f'Created the database role "{name}".')

    def _check_owner_owns_the_tables(self) -> None:
        """A database made before the two roles (by `postgres`) cannot be migrated by the owner."""
        name = settings.DATABASES["default"]["NAME"]
        login = owner_login()
        with psycopg.connect(dbname=name, **_params(login)) as conn:
            row = conn.execute(
                "SELECT pg_get_userbyid(c.relowner), count(*) FROM pg_class c "
                "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' "
                "AND NOT pg_has_role(current_user, c.relowner, 'USAGE') "
                "GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
            ).fetchone()
        if row is None:
            return
        raise CommandError(
            f'The database "{name}" has {row[1]} tables owned by "{row[0]}", not by '
            f'"{login["USER"]}", who migrates it (DATABASE_MIGRATE_URL). It was probably made '
            "before the app had two database roles: in development drop it (`dropdb -h "
            f"127.0.0.1 -U postgres {name}`) and run `make run` again, or keep one role for "
            f"everything with DATABASE_URL=postgres://{row[0]}@127.0.0.1:5432/{name}."
        )

    def _check_runtime_role(self) -> None:
        db = settings.DATABASES["default"]
        with psycopg.connect(dbname=db["NAME"], **_params(db)) as conn:
            problems = runtime_role_problems(conn)
        if not problems:
            return
        message = " ".join(problems)
        if settings.PRODUCTION:
            raise CommandError(f"{message} {ROLE_HELP}")
        self.stdout.write(self.style.WARNING(f"{message} Production refuses this. {ROLE_HELP}"))

    def _check_redis(self) -> None:
        for url in (settings.REDIS_URL, settings.CELERY_BROKER_URL):
            client = redis.Redis.from_url(url, socket_connect_timeout=5)
            try:
                client.ping()
            except redis.RedisError as error:
                raise CommandError(
                    f"Redis is not reachable at {url}. {START_HINT.format(local=REDIS_START)}"
                ) from error
            finally:
                client.close()
