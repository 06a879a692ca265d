"""What the operations pages share: fetching through visible_to, and errors onto forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from silahap.operations.models import Operation


def apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def operation_or_404(request, pk: int) -> Operation:
    return get_object_or_404(
        Operation.objects.visible_to(request.user).select_related(
            "unit", "unit__office", "parent", "team", "regency"
        ),
        pk=pk,
    )
