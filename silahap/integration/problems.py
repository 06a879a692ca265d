"""Errors as RFC 9457 problem documents, titled in English and in Indonesian."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"

# (English, Indonesian) titles by status.
TITLES: dict[int, tuple[str, str]] = {
    400: ("Invalid request", "Permintaan tidak valid"),
    401: ("Not authenticated", "Belum terautentikasi"),
    403: ("Not allowed", "Tidak diizinkan"),
    404: ("Not found", "Tidak ditemukan"),
    405: ("Method not allowed", "Metode tidak diizinkan"),
    406: ("Not acceptable", "Format tidak dapat diberikan"),
    409: ("Conflict", "Konflik"),
    413: ("Request body too large", "Isi permintaan terlalu besar"),
    415: ("Unsupported media type", "Jenis media tidak didukung"),
    422: ("Idempotency-Key reused", "Idempotency-Key dipakai ulang"),
    429: ("Too many requests", "Terlalu banyak permintaan"),
}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than this endpoint accepts."
    default_code = "payload_too_large"


class KeyReused(exceptions.APIException):
    """RFC draft idempotency-key header: the same key with another request is refused."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was used for a different request; use a new key."
    default_code = "idempotency_key_reused"


def field_errors(detail, prefix: str = "") -> list[dict]:
    """Flatten DRF's nested error detail into [{"field": "a.b", "detail": "..."}]."""
    if isinstance(detail, dict):
        found: list[dict] = []
        for key, value in detail.items():
            name = prefix if key in ("non_field_errors", "__all__") else f"{prefix}{key}"
            found += field_errors(value, f"{name}." if isinstance(value, dict) else name)
        return found
    if isinstance(detail, list):
        found = []
        for item in detail:
            found += field_errors(item, prefix)
        return found
    return [{"field": prefix.rstrip(".") or None, "detail": str(detail)}]


def problem(status_code: int, detail: str = "", errors: list | None = None, headers=None):
    english, indonesian = TITLES.get(status_code, ("Error", "Galat"))
    body = {
        "type": "about:blank",
        "title": english,
        "title_id": indonesian,
        "status": status_code,
        "detail": detail or english,
    }
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc, context):
    """DRF's handler, with the body reshaped as a problem document and the headers kept."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        exc = exceptions.ValidationError(detail)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    headers = {
        k: v
        for k, v in response.items()
        if k.lower() in ("retry-after", "www-authenticate", "allow")
    }
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        named = [e["field"] for e in errors if e["field"]]
        detail = (
            "Invalid value for: " + ", ".join(dict.fromkeys(named))
            if named
            else "; ".join(e["detail"] for e in errors)
        )
        return problem(400, detail, errors, headers)
    detail = exc.detail if isinstance(getattr(exc, "detail", None), str) else ""
    return problem(response.status_code, str(detail), None, headers)
