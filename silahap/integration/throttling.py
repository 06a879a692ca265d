"""Per-client request limits (per process until the shared cache exists): 429 with Retry-After."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from silahap.integration.principal import client_of


class ClientRateThrottle(SimpleRateThrottle):
    scope = "api_client"
    rate = "120/min"  # replaced by each client's own limit

    def allow_request(self, request, view) -> bool:
        client = client_of(request.user)
        if client is None:
            return True  # a signed-in session: the site's own pages
        self.num_requests, self.duration = client.requests_per_minute, 60
        # The account name is random per client: a reused id never inherits an old count.
        self.key = f"throttle_api_client_{client.account.username}"
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def get_cache_key(self, request, view):  # pragma: no cover — allow_request sets the key
        return None
