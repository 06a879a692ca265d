"""The running operations an officer may file an activity under, offered on the activity form
through its extension point (silahap/sections/forms): one tap, preselected when there is one."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silahap.accounts import access
from silahap.operations.models import Operation
from silahap.operations.services.running import operation_activity_link

POINT = "reports.activity_form"


def fields(request) -> dict[str, forms.Field] | None:
    user = request.user
    if not access.is_immigration_staff(user):
        return None
    running = list(
        Operation.objects.running()
        .filter(members__user=user)
        .order_by("starts_at", "pk")
        .only("pk", "number", "name")
    )
    if not running:
        return None
    choices = [("", _("No operation"))] + [
        (str(operation.pk), f"{operation.number} — {operation.name}") for operation in running
    ]
    return {
        "operation": forms.ChoiceField(
            choices=choices,
            required=False,
            initial=str(running[0].pk) if len(running) == 1 else "",
            widget=forms.RadioSelect,
            label=gettext_lazy("Operation"),
        )
    }


def saved(request, activity, values: dict) -> None:
    """Link the new activity to the chosen operation (the service checks period and team)."""
    chosen = values.get("operation")
    if not chosen:
        return
    operation = Operation.objects.visible_to(request.user).filter(pk=int(chosen)).first()
    if operation is None:
        raise ValidationError({"operation": _("Choose one of your running operations.")})
    operation_activity_link(by=request.user, operation=operation, activity=activity)
