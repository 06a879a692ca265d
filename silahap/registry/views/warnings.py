"""The permit warnings page: expiring stay permits and overstays in a leader's or analyst's
offices, counted per office and listed in pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from silahap.audit import services as audit
from silahap.registry import warnings
from silahap.registry.forms.warnings import WarningFilterForm

PAGE_SIZE = 25


class CountedRows:
    """A queryset whose length is already known: the per-office counts give it, so the
    paginator does not attribute every warned person a second time just to count them."""

    def __init__(self, queryset, count: int):
        self.queryset, self.total = queryset, count

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.queryset[index]


@require_GET
def permit_warnings(request):
    """Leaders and analysts: their offices' warnings; others may not open the page."""
    offices = list(warnings.offices_for(request.user))
    if not offices:
        raise PermissionDenied("leaders and analysts of an office only")
    today = timezone.localdate()
    form = WarningFilterForm(request.GET or None, offices=offices)
    chosen, kind = offices, ""
    if form.is_valid():
        office_id = form.cleaned_data["office"]
        chosen = [office for office in offices if office.pk == office_id] or offices
        kind = form.cleaned_data["kind"]
    # The offices' regencies, read once for the counts and the list.
    regencies = warnings.area_offices([office.pk for office in offices])
    counts = warnings.office_warnings(offices, today, regencies)
    chosen_ids = {office.pk for office in chosen}
    chosen_regencies = {pk: codes for pk, codes in regencies.items() if pk in chosen_ids}
    persons = (
        warnings.warned_unattributed(chosen_regencies, today, kind)
        .only(
            "pk",
            "full_name",
            "nationality",
            "merged_into",
            "permit_valid_until",
            "last_check_office",
            "regency",
        )
        .order_by("permit_valid_until", "pk")
    )
    total = sum(
        getattr(row, kind) if kind else row.total for row in counts if row.office.pk in chosen_ids
    )
    page = Paginator(CountedRows(persons, total), PAGE_SIZE).get_page(request.GET.get("page"))
    names = {office.pk: office.name for office in offices}
    by_address = warnings.address_offices(chosen_regencies)
    for person in page.object_list:
        person.office_name = names.get(warnings.office_of(person, by_address), "")
        person.is_overstay = person.permit_valid_until < today
        person.days = abs((today - person.permit_valid_until).days)
    audit.record(
        action="permit_warnings.view",
        actor=request.user,
        summary={"offices": [office.pk for office in chosen], "kind": kind, "page": page.number},
        seal_after_commit=False,  # a read: sealed by the next sealer (see person_search)
    )
    return render(
        request,
        "registry/warning_list.html",
        {"form": form, "counts": counts, "page": page, "today": today},
    )
