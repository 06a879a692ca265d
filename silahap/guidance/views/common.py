"""Helpers shared by guidance's views."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme


def apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    # Only a path of this site: "/…", never "//host" or a bare word redirect() would reverse.
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return target
    return fallback
