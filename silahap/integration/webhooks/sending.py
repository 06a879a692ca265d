"""One HTTP POST to a checked address: short timeouts, no redirects, the answer truncated."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from silahap.integration.webhooks.safety import Target

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 5.0
EXCERPT_BYTES = 500


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    latency_ms: int
    excerpt: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address while naming the host in the request."""

    def __init__(self, target: Target):
        super().__init__(target.host, target.port, timeout=READ_TIMEOUT)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        self.sock.settimeout(READ_TIMEOUT)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target):
        super().__init__(
            target.host, target.port, timeout=READ_TIMEOUT, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        sock.settimeout(READ_TIMEOUT)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str]) -> Answer:
    """Send once; a redirect is an answer like any other (3xx: not delivered), never followed."""
    connection = (
        _PinnedHTTPSConnection(target)
        if target.scheme == "https"
        else _PinnedHTTPConnection(target)
    )
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        latency = int((time.monotonic() - started) * 1000)
        return Answer(None, latency, "", f"{type(error).__name__}: {error}"[:300])
    finally:
        connection.close()
    return Answer(status, int((time.monotonic() - started) * 1000), excerpt)
