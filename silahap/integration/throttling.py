"""Per-client request limits: 429 with Retry-After.

One counter per client and minute (from its first request) in the shared cache (Redis when
several nodes run), raised with the cache's atomic increment, so two nodes never both let the
last allowed request through.
A cache that is down counts nothing: the API answers, unthrottled, rather than refusing what the
database can serve."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from silahap.integration.principal import client_of

WINDOW_SECONDS = 60


class ClientRateThrottle(SimpleRateThrottle):
    scope = "api_client"
    rate = "120/min"  # replaced by each client's own limit

    def allow_request(self, request, view) -> bool:
        client = client_of(request.user)
        if client is None:
            return True  # a signed-in session: the site's own pages
        self.now = self.timer()
        # The account name is random per client: a reused id never inherits an old count.
        self.key = f"throttle_api_client_{client.account.username}"
        # The window opens at the client's first request and lasts a minute: add() opens it only
        # if no node has, and incr() counts atomically in Redis.
        if self.cache.add(self.key, 0, timeout=WINDOW_SECONDS):
            self.cache.set(f"{self.key}_since", self.now, timeout=WINDOW_SECONDS)
        self.since = self.cache.get(f"{self.key}_since", self.now)
        try:
            count = self.cache.incr(self.key)
        except ValueError:  # the window closed between the two calls: this opens the next
            count = 1
        return count <= client.requests_per_minute

    def wait(self) -> float:
        return max(1.0, self.since + WINDOW_SECONDS - self.now)

    def get_cache_key(self, request, view):  # pragma: no cover — allow_request sets the key
        return None
