"""The API's per-client limit counts in the shared cache (Redis): every node sees one count; a
dead cache refuses nothing the database can answer."""

from __future__ import annotations

import pytest
from asgiref.local import Local
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from silahap.integration.tests.conftest import bearer
from silahap.testing.services import DEAD_REDIS_URL, redis_caches, shared_redis_cache

pytestmark = pytest.mark.django_db
UNITS = "integration:unit-list"


def test_the_limit_holds_across_nodes_sharing_redis(client, make_client):
    api_client, token = make_client(rate=2)
    with shared_redis_cache() as config, override_settings(CACHES=config):
        assert client.get(reverse(UNITS), **bearer(token)).status_code == 200
        # Another node: a cache object with its own connections to the same Redis.
        caches._connections = Local()
        assert client.get(reverse(UNITS), **bearer(token)).status_code == 200
        caches._connections = Local()
        third = client.get(reverse(UNITS), **bearer(token))
        assert third.status_code == 429
        assert 1 <= int(third["Retry-After"]) <= 60
        key = f"throttle_api_client_{api_client.account.username}"
        assert caches["default"].get(key) == 3


def test_a_dead_cache_lets_the_api_answer(client, make_client):
    _api_client, token = make_client(rate=1)
    with override_settings(CACHES=redis_caches(DEAD_REDIS_URL)):
        for _ in range(3):
            assert client.get(reverse(UNITS), **bearer(token)).status_code == 200
