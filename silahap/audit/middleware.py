import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from silahap.audit import services as audit
from silahap.audit.context import RequestContext, current_request

REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    """Give each request an id and remember its address for the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]  # HttpRequest declares no such field
        token = current_request.set(
            RequestContext(
                ip_address=request.META.get("REMOTE_ADDR") or None, request_id=request_id
            )
        )
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = request_id
        return response


DENIED_STATUSES = {403, 404}


def _unaudited_path(path: str) -> bool:
    return path.startswith(settings.STATIC_URL) or path in {"/healthz", "/sw.js", "/favicon.ico"}


class DeniedAccessMiddleware:
    """Record every refusal (403, 404) a signed-in person meets: probing for records they may not
    see is what the trail must show (PDP). Anonymous refusals are the login page's business."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code in DENIED_STATUSES
            and request.user.is_authenticated
            and not _unaudited_path(request.path)
        ):
            audit.record(
                action="access.denied",
                actor=request.user,
                summary={
                    "method": request.method,
                    "path": request.path[:300],
                    "status": response.status_code,
                },
            )
        return response
