"""The real services the suite talks to besides the database: Redis at 127.0.0.1:6379 (started
by .ci/run), each test under a key prefix of its own so parallel runs never collide."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

REDIS_URL = os.environ.get("SILAHAP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# A port nothing listens on: a cache that is down.
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"


def redis_caches(url: str = REDIS_URL, prefix: str | None = None) -> dict[str, Any]:
    from silahap.cache import caches_from_env

    return caches_from_env(url, prefix or f"silahap-test-{uuid.uuid4().hex}")


@contextmanager
def shared_redis_cache() -> Iterator[dict[str, Any]]:
    """CACHES on the real Redis under a fresh prefix, its keys removed afterwards."""
    import redis

    caches = redis_caches()
    prefix = caches["default"]["KEY_PREFIX"]
    try:
        yield caches
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)
        client.close()
