"""The shared cache on the real Redis: two nodes see one value and one counter; a Redis that
dies degrades to no cache; one that does not answer at start stops the process with one line."""

from __future__ import annotations

import threading

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from silahap.cache import DegradingRedisCache
from silahap.testing.external import DEAD_REDIS_URL, REDIS_URL, redis_caches, shared_redis_cache
from silahap.testing.servers import run_manage


def node_cache(config: dict) -> DegradingRedisCache:
    """A cache as another node builds it: its own connection pool to the same Redis."""
    default = config["default"]
    return DegradingRedisCache(default["LOCATION"], default)


def test_two_nodes_see_one_value_and_count_one_counter():
    with shared_redis_cache() as config:
        first, second = node_cache(config), node_cache(config)
        first.set("greeting", {"text": "selamat pagi"}, 30)
        assert second.get("greeting") == {"text": "selamat pagi"}
        first.add("counter", 0, 30)

        def count(cache: DegradingRedisCache) -> None:
            for _ in range(50):
                cache.incr("counter")

        threads = [threading.Thread(target=count, args=(c,)) for c in (first, second) * 2]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert first.get("counter") == 200
        # Under the run's own prefix in Redis, so parallel runs never meet.
        raw = redis.Redis.from_url(REDIS_URL)
        prefix = config["default"]["KEY_PREFIX"]
        assert raw.exists(f"{prefix}:1:counter")
        raw.close()


def test_a_dead_cache_misses_drops_writes_counts_nothing_and_is_left_alone():
    cache = node_cache(redis_caches(DEAD_REDIS_URL))
    assert cache.get("anything", "fallback") == "fallback"
    cache.set("anything", 1, 30)
    assert cache.add("anything", 1, 30) is False
    assert cache.incr("anything") == 0
    assert cache.get_many(["a", "b"]) == {}
    assert cache.is_down  # the next calls skip Redis for a few seconds instead of timing out
    with pytest.raises(redis.exceptions.ConnectionError):
        cache.ping()


@pytest.mark.django_db
def test_readyz_names_a_redis_that_is_down_and_answers_200_when_it_is_up(client):
    with override_settings(CACHES=redis_caches(DEAD_REDIS_URL)):
        down = client.get(reverse("readyz"))
    assert down.status_code == 503
    assert down.json()["cache"] == "down (ConnectionError)"
    assert down.json()["database"] == "ok"
    with shared_redis_cache() as config, override_settings(CACHES=config):
        up = client.get(reverse("readyz"))
        assert isinstance(caches["default"], DegradingRedisCache)
    assert up.status_code == 200, up.json()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (DEAD_REDIS_URL, "SILAHAP_REDIS_URL: no Redis answers at 127.0.0.1:1"),
        ("http://127.0.0.1:6379", "SILAHAP_REDIS_URL scheme 'http' is not supported"),
    ],
)
def test_a_redis_that_does_not_answer_at_start_stops_with_one_line(url, expected):
    result = run_manage({"SILAHAP_REDIS_URL": url})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]


def test_a_reachable_redis_at_start_is_used():
    code = "from django.core.cache import caches; print(type(caches['default']).__name__)"
    result = run_manage({"SILAHAP_REDIS_URL": REDIS_URL}, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "DegradingRedisCache"
