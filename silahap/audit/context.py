"""Where the current request came from, so audit events can say it without passing it around."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    request_id: str = ""


NO_REQUEST = RequestContext()
current_request: ContextVar[RequestContext | None] = ContextVar("silahap_request", default=None)


def request_context() -> RequestContext:
    return current_request.get() or NO_REQUEST
