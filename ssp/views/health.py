"""`/health/`: is the database, Redis and at least one Celery worker up?"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ssp.celery import app as celery_app

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: database unreachable")
        return False


def _redis_ok() -> bool:
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        logger.exception("Health check: Redis unreachable")
        return False


def _celery_worker_ok() -> bool:
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            replies = celery_app.control.ping(timeout=timeout, connection=conn)
        return bool(replies)
    except Exception:
        logger.exception("Health check: Celery broker or worker unreachable")
        return False


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": _database_ok(),
        "redis": _redis_ok(),
        "celery_worker": _celery_worker_ok(),
    }
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "checks": {k: "ok" if v else "error" for k, v in checks.items()},
        },
        status=200 if healthy else 503,
    )
