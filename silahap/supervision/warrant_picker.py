"""The warrants covering today that name the officer, offered on the activity form through its
extension point (silahap/sections/forms): the day's only one is preselected and shown, so a
field activity is filed under it without typing its number and date (#15 item 6)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from silahap.accounts import access
from silahap.supervision.models import Warrant

POINT = "reports.activity_form"
CACHE = "_silahap_covering_warrants"


def _covering(request) -> dict[str, Warrant]:
    if not hasattr(request, CACHE):
        units = access.units_with_role(request.user, [access.Role.OFFICER, access.Role.LEADER])
        today = (units[0].office or units[0]).local_today() if units else None
        warrants = (
            Warrant.objects.filter(
                members=request.user, period_start__lte=today, period_end__gte=today
            )
            .order_by("-issued_on", "pk")
            .only("pk", "number", "issued_on")[:5]
            if today
            else []
        )
        setattr(request, CACHE, {str(warrant.pk): warrant for warrant in warrants})
    return getattr(request, CACHE)


def fields(request) -> dict[str, forms.Field] | None:
    covering = _covering(request)
    if not covering:
        return None
    choices = [
        (key, f"{warrant.number} ({warrant.issued_on:%d-%m-%Y})")
        for key, warrant in covering.items()
    ] + [("", _("Another warrant, or to follow (below)"))]
    return {
        "warrant": forms.ChoiceField(
            choices=choices,
            required=False,
            initial=next(iter(covering)) if len(covering) == 1 else "",
            widget=forms.RadioSelect,
            label=gettext_lazy("Warrant covering today"),
        )
    }


def provides(request, values: dict) -> dict:
    warrant = _covering(request).get(values.get("warrant") or "")
    if warrant is None:
        return {}
    return {"warrant_number": warrant.number, "warrant_date": warrant.issued_on}


def saved(request, activity, values: dict) -> None:
    """Nothing to do after the save: the warrant's number and date went in with the activity."""
