"""The shared cache: Redis when SILAHAP_REDIS_URL is set (several nodes see the same values and
counters), this process's memory otherwise.

A cache that fails at run time degrades to no cache: reads miss, writes are dropped, counters
count nothing, and the database answers as it would without a cache. After a failure the cache
is left alone for a few seconds, so a dead Redis costs one short timeout per node, not one per
call. At start an unreachable Redis stops the process with one line (see `check_reachable`).
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from silahap.config import ConfigError

logger = logging.getLogger("silahap.cache")

# How long a node leaves a failed cache alone before trying it again.
RETRY_AFTER_SECONDS = 5.0
# Connect and read timeouts: a cache that answers slower than this is as good as down.
SOCKET_TIMEOUT_SECONDS = 0.5
# Per Redis location: until when this process leaves it alone (shared by every thread).
_DOWN_UNTIL: dict[str, float] = {}


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis  # noqa: PLC0415 — settings import this module; redis loads only when it is used

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class DegradingRedisCache(RedisCache):
    """Django's Redis cache, turning a connection failure into a miss (and a warning)."""

    def _call(self, name: str, default: Any, *args: Any) -> Any:
        if self.is_down:
            return default
        try:
            return getattr(super(), name)(*args)
        except _redis_errors() as error:
            _DOWN_UNTIL[self._server_key] = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning(
                "cache unavailable (%s); serving without it for %ss",
                type(error).__name__,
                RETRY_AFTER_SECONDS,
            )
            return default

    @property
    def _server_key(self) -> str:
        return ",".join(self._servers)  # type: ignore[attr-defined]  # RedisCache sets it; stubs lack it

    @property
    def is_down(self) -> bool:
        """Whether a recent failure has this process serving without the cache."""
        return time.monotonic() < _DOWN_UNTIL.get(self._server_key, 0.0)

    def ping(self) -> None:
        """Ask Redis itself, past the degrading (for /readyz): raises when it does not answer."""
        self._cache.get_client(write=True).ping()

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        # A missing key still raises ValueError (Django's contract); a dead cache counts 0.
        return self._call("incr", 0, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], data, timeout, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)


def caches_from_env(redis_url: str, prefix: str) -> dict[str, dict[str, Any]]:
    """CACHES for the settings: Redis at `redis_url`, or this process's memory when it is empty."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    parts = urlsplit(redis_url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(
            f"SILAHAP_REDIS_URL scheme {parts.scheme!r} is not supported; "
            "use redis://host:6379/0 or rediss:// for TLS"
        )
    return {
        "default": {
            "BACKEND": "silahap.cache.DegradingRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {
                "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
                "socket_timeout": SOCKET_TIMEOUT_SECONDS,
            },
        }
    }


def check_reachable(redis_url: str) -> None:
    """At start: a Redis that does not answer stops the process with one line saying what to fix."""
    if not redis_url:
        return
    import redis  # noqa: PLC0415 — settings import this module; redis loads only when it is used

    try:
        client = redis.Redis.from_url(
            redis_url,
            socket_connect_timeout=2 * SOCKET_TIMEOUT_SECONDS,
            socket_timeout=2 * SOCKET_TIMEOUT_SECONDS,
        )
        client.ping()
        client.close()
    except redis.exceptions.AuthenticationError:
        raise ConfigError(
            "SILAHAP_REDIS_URL: Redis refused the password; put the right one in the URL "
            "(redis://:password@host:6379/0)"
        ) from None
    except (redis.exceptions.RedisError, OSError) as error:
        where = urlsplit(redis_url)
        raise ConfigError(
            f"SILAHAP_REDIS_URL: no Redis answers at {where.hostname}:{where.port or 6379} "
            f"({type(error).__name__}); start Redis or correct the URL, or unset it to use "
            "this process's memory"
        ) from None
