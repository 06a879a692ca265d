"""Review of likely duplicate persons and places: the candidate pairs side by side, merge into
the one chosen, or mark them as not duplicates.

Immigration staff see the lists; leaders and office administrators decide (services.merge).
A partner-agency member gets 404 everywhere, as for any registry record.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from silahap import limits
from silahap.accounts import access
from silahap.audit import services as audit
from silahap.inputs import IdField
from silahap.registry import duplicates, services
from silahap.registry.duplicates import BY_DOCUMENT, BY_NAME, Pair
from silahap.registry.models import ForeignNational, Place
from silahap.registry.purposes import ViewPurpose
from silahap.registry.search import distance_m


class ListForm(forms.Form):
    by = forms.ChoiceField(
        choices=[(BY_NAME, gettext_lazy("By name")), (BY_DOCUMENT, gettext_lazy("By document"))],
        required=False,
    )
    after = forms.CharField(max_length=limits.DUPLICATES_CURSOR, required=False)


class MergeForm(forms.Form):
    survivor = IdField(error_messages={"required": gettext_lazy("Choose the record to keep.")})
    by = forms.CharField(max_length=20, required=False)
    after = forms.CharField(max_length=limits.DUPLICATES_CURSOR, required=False)

    def __init__(self, *args, pair: Pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = pair

    def clean_survivor(self) -> int:
        survivor = self.cleaned_data["survivor"]
        if survivor not in (self.pair.first.pk, self.pair.second.pk):
            raise ValidationError(_("Choose one of the two records to keep."))
        return survivor


def _staff_only(request) -> None:
    # The lists are registry records: someone who may not see the registry gets 404.
    if not access.is_immigration_staff(request.user):
        raise Http404


def _list_params(data) -> tuple[str, str]:
    form = ListForm(data)
    if not form.is_valid():
        return BY_NAME, ""
    return form.cleaned_data["by"] or BY_NAME, form.cleaned_data["after"]


def _back(name: str, by: str, after: str) -> str:
    query = {key: value for key, value in (("by", by), ("after", after)) if value}
    return reverse(name) + ("?" + urlencode(query) if query else "")


def _persons(request):
    return ForeignNational.objects.visible_to(request.user)


def _places(request):
    return Place.objects.visible_to(request.user)


@require_GET
def person_duplicates(request):
    """Pairs of persons likely to be one person, by name or by document, a page at a time."""
    _staff_only(request)
    by, after = _list_params(request.GET)
    page = duplicates.person_candidates(_persons(request), by, after)
    audit.record(
        action="person.duplicates",
        actor=request.user,
        purpose=ViewPurpose.DATA_CORRECTION,
        summary={"by": by, "pairs": len(page.pairs), "from_start": not after},
    )
    return render(
        request,
        "registry/duplicate_persons.html",
        {
            "page": page,
            "by": by,
            "after": after,
            "may_decide": duplicates.may_decide(request.user),
        },
    )


def _pair(queryset, first: int, second: int) -> Pair:
    """The pair as shown in the list, each record fetched through visible_to (404 otherwise)."""
    records = [get_object_or_404(queryset, pk=pk) for pk in sorted((first, second))]
    return Pair(first=records[0], second=records[1])


def _person_pair(request, first: int, second: int) -> Pair:
    queryset = (
        _persons(request)
        .annotate(check_count=Count("checks"))
        .select_related("sponsor")
        .prefetch_related("documents", "permits")
    )
    return _pair(queryset, first, second)


def _place_pair(request, first: int, second: int) -> Pair:
    queryset = (
        _places(request)
        .select_related("regency", "district", "village")
        .annotate(
            activity_count=Count("activities", distinct=True),
            task_count=Count("tasks", distinct=True),
        )
    )
    pair = _pair(queryset, first, second)
    one, other = pair.first, pair.second
    if (
        isinstance(one, Place)
        and isinstance(other, Place)
        and one.latitude is not None
        and other.latitude is not None
    ):
        pair.distance_m = distance_m(one.latitude, one.longitude, other.latitude, other.longitude)
    return pair


def _problem(request, template: str, pair: Pair, errors: list, by: str, after: str):
    """The one pair again, with what stopped the decision (422)."""
    return render(
        request,
        template,
        {
            "page": duplicates.CandidatePage(pairs=[pair], after=None),
            "by": by,
            "after": after,
            "may_decide": True,
            "errors": errors,
            "single": True,
        },
        status=422,
    )


def _decide(request, *, pair: Pair, merge, template: str, list_name: str, done: str):
    if not duplicates.may_decide(request.user):
        raise PermissionDenied("only leaders and office administrators merge records")
    form = MergeForm(request.POST, pair=pair)
    by, after = _list_params(request.POST)
    if not form.is_valid():
        errors = [message for messages_ in form.errors.values() for message in messages_]
        return _problem(request, template, pair, errors, by, after)
    survivor_pk = form.cleaned_data["survivor"]
    survivor, merged = (
        (pair.first, pair.second) if pair.first.pk == survivor_pk else (pair.second, pair.first)
    )
    try:
        result = merge(by=request.user, survivor=survivor, merged=merged)
    except ValidationError as error:
        return _problem(request, template, pair, error.messages, by, after)
    if result.done_now:
        messages.success(request, done % {"name": str(survivor)})
    else:
        messages.info(request, _("These records were already merged."))
    return redirect(_back(list_name, by, after))


def _dismiss(request, *, pair: Pair, dismiss, template: str, list_name: str):
    if not duplicates.may_decide(request.user):
        raise PermissionDenied("only leaders and office administrators decide on duplicates")
    by, after = _list_params(request.POST)
    try:
        dismiss(by=request.user, first=pair.first, second=pair.second)
    except ValidationError as error:
        return _problem(request, template, pair, error.messages, by, after)
    messages.success(
        request, _("Noted: these are not duplicates. They will not be proposed again.")
    )
    return redirect(_back(list_name, by, after))


@require_POST
def person_merge(request, first: int, second: int):
    """Merge one person of a candidate pair into the other, the one chosen to keep."""
    return _decide(
        request,
        pair=_person_pair(request, first, second),
        merge=services.person_merge,
        template="registry/duplicate_persons.html",
        list_name="registry:person_duplicates",
        done=_("Merged into %(name)s: every check, document and permit is now on that record."),
    )


@require_POST
def person_duplicate_dismiss(request, first: int, second: int):
    """Mark a candidate pair of persons as two different people."""
    return _dismiss(
        request,
        pair=_person_pair(request, first, second),
        dismiss=services.person_duplicate_dismiss,
        template="registry/duplicate_persons.html",
        list_name="registry:person_duplicates",
    )


@require_GET
def place_duplicates(request):
    """Pairs of places with the same name within 100 m of each other, a page at a time."""
    _staff_only(request)
    _by, after = _list_params(request.GET)
    page = duplicates.place_candidates(_places(request), after)
    return render(
        request,
        "registry/duplicate_places.html",
        {"page": page, "after": after, "may_decide": duplicates.may_decide(request.user)},
    )


@require_POST
def place_merge(request, first: int, second: int):
    """Merge one place of a candidate pair into the other, the one chosen to keep."""
    return _decide(
        request,
        pair=_place_pair(request, first, second),
        merge=services.place_merge,
        template="registry/duplicate_places.html",
        list_name="registry:place_duplicates",
        done=_("Merged into %(name)s: every activity and task is now on that place."),
    )


@require_POST
def place_duplicate_dismiss(request, first: int, second: int):
    """Mark a candidate pair of places as two different places."""
    return _dismiss(
        request,
        pair=_place_pair(request, first, second),
        dismiss=services.place_duplicate_dismiss,
        template="registry/duplicate_places.html",
        list_name="registry:place_duplicates",
    )
