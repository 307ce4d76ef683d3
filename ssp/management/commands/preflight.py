"""`manage.py preflight`: are PostgreSQL and Redis reachable? Create the database if missing.

`make run` calls this first, so a newcomer gets one clear sentence instead of a traceback.
"""

from __future__ import annotations

from typing import Any

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

START_HINT = (
    "Start it with `{local}`, or start both services in containers with "
    "`docker compose up -d db redis`."
)
PG_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
REDIS_START = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'


class Command(BaseCommand):
    help = "Check that PostgreSQL and Redis are reachable and create the database if missing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-create",
            action="store_true",
            help="Only check that the servers answer; do not create a missing database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._check_postgres(create=not options["no_create"])
        self._check_redis()
        self.stdout.write(self.style.SUCCESS("PostgreSQL and Redis are reachable."))

    def _check_postgres(self, *, create: bool) -> None:
        db = settings.DATABASES["default"]
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "connect_timeout": 5,
        }
        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        try:
            psycopg.connect(dbname=db["NAME"], **params).close()
            return
        except psycopg.OperationalError as error:
            missing = f'database "{db["NAME"]}" does not exist' in str(error)
            if not missing:
                raise CommandError(
                    f"PostgreSQL is not reachable at {where}. {START_HINT.format(local=PG_START)}"
                ) from error
        if not create:
            return  # The server answers; the tests create their own database.
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        self.stdout.write(f'Created the database "{db["NAME"]}" on {where}.')

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
