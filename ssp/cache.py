"""A Redis cache that lets the app go on when Redis is away.

Redis holds only what can be rebuilt: cached sessions (the database keeps the sessions
themselves), rate counters and the like. When it stops answering, a read is a miss and a
write is skipped, each with a warning in the log, so every page keeps working from PostgreSQL;
short timeouts keep a dead Redis from holding a request up.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ResilientRedisCache(RedisCache):
    def _guarded(self, operation: str, default: Any, call: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return call(*args, **kwargs)
        except RedisError as error:
            logger.warning("Cache %s skipped, Redis is unavailable: %s", operation, error)
            return default

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded("get", default, super().get, key, default, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        return self._guarded("get_many", {}, super().get_many, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guarded("has_key", False, super().has_key, key, version)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._guarded("set", None, super().set, key, value, timeout, version)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._guarded("add", False, super().add, key, value, timeout, version)

    def set_many(
        self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list:
        return self._guarded("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded("touch", False, super().touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guarded("delete", False, super().delete, key, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._guarded("delete_many", None, super().delete_many, keys, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A counter that cannot be read must not look like zero to a rate limit: let it fail.
        return super().incr(key, delta, version)
