"""Sponsors (penjamin): the list, a sponsor with the foreigners it guarantees, create and correct.

A page listing foreigners by sponsor is a read of personal data, so it writes an audit event.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, F, Func, IntegerField, Max, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from silahap import limits
from silahap.accounts import access
from silahap.audit import services as audit
from silahap.registry import search, services
from silahap.registry.forms.sponsors import SponsorForm, SponsorSearchForm
from silahap.registry.models import ForeignNational, Sponsor, StayPermit
from silahap.registry.views import paging
from silahap.registry.views.persons import _apply_errors

PAGE_SIZE = 20


def _sponsors(request):
    return Sponsor.objects.visible_to(request.user)


def current_guarantee(on: datetime.date, **permit_filter) -> Q:
    """A permit sponsored as given that is still running on `on` (or has no end recorded)."""
    return Q(
        Exists(
            StayPermit.objects.filter(person=OuterRef("pk"), **permit_filter).filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=on)
            )
        )
    )


def _guaranteed_count(on: datetime.date) -> Subquery:
    """Foreigners a sponsor guarantees now: current, unmerged persons with a running permit."""
    persons = (
        ForeignNational.objects.filter(merged_into__isnull=True)
        .filter(current_guarantee(on, sponsor=OuterRef(OuterRef("pk"))))
        .order_by()
        # COUNT as a plain function, not an aggregate: no GROUP BY, one row per sponsor.
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")
    )
    return Subquery(persons, output_field=IntegerField())


@require_GET
def sponsor_list(request):
    """Sponsors by name, NIK / NIB, kind and regency, in pages."""
    access.require_staff(request.user)
    form = SponsorSearchForm(request.GET or None)
    sponsors = _sponsors(request).select_related("regency")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            sponsors = sponsors.filter(search.sponsor_condition(data["q"]))
        if data["kind"]:
            sponsors = sponsors.filter(kind=data["kind"])
        if data["regency"] is not None:
            sponsors = sponsors.filter(regency=data["regency"])
    today = timezone.localdate()
    sponsors = sponsors.annotate(guaranteed=_guaranteed_count(today)).order_by("name", "pk")
    paginator = paging.CappedPaginator(sponsors, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "registry/sponsor_list.html",
        {
            "form": form,
            "page": page,
            "limit": settings.SILAHAP_SPONSOR_INDIVIDUAL_LIMIT,
            "count_limit": paginator.limit,
        },
    )


@require_GET
def sponsor_detail(request, pk: int):
    """A sponsor and the foreigners it guarantees through their stay permits; an individual's
    current count is set against the limit, with a warning at or above it."""
    sponsor = get_object_or_404(_sponsors(request).select_related("regency__province"), pk=pk)
    today = timezone.localdate()
    persons = (
        ForeignNational.objects.visible_to(request.user)
        .filter(merged_into__isnull=True)
        .filter(Exists(StayPermit.objects.filter(person=OuterRef("pk"), sponsor=sponsor)))
        .annotate(
            guarantee_until=Max("permits__valid_until", filter=Q(permits__sponsor=sponsor)),
            guarantee_open=Exists(
                StayPermit.objects.filter(
                    person=OuterRef("pk"), sponsor=sponsor, valid_until__isnull=True
                )
            ),
        )
        .order_by("full_name", "pk")
    )
    current = persons.filter(current_guarantee(today, sponsor=sponsor)).count()
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page.object_list:
        person.is_current = person.guarantee_open or (
            person.guarantee_until is not None and person.guarantee_until >= today
        )
    limit = settings.SILAHAP_SPONSOR_INDIVIDUAL_LIMIT
    individual = sponsor.kind == Sponsor.Kind.INDIVIDUAL
    audit.record(
        action="sponsor.view",
        actor=request.user,
        target=sponsor,
        summary={"persons": page.paginator.count, "page": page.number},
    )
    return render(
        request,
        "registry/sponsor_detail.html",
        {
            "sponsor": sponsor,
            "page": page,
            "current": current,
            "limit": limit,
            "individual": individual,
            "at_limit": individual and current >= limit,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def sponsor_create(request):
    """Register a sponsor; a NIK / NIB already registered leads to its sponsor instead."""
    access.require_staff(request.user)
    if request.method == "GET":
        form = SponsorForm(initial={"name": request.GET.get("name", "")[: limits.NAME]})
        return render(request, "registry/sponsor_form.html", {"form": form})
    form = SponsorForm(request.POST)
    if form.is_valid():
        try:
            result = services.sponsor_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if result.created:
                messages.success(request, _("The sponsor was registered."))
            else:
                messages.info(
                    request, _("This NIK / NIB is already registered: here is its sponsor.")
                )
            return redirect("registry:sponsor_detail", pk=result.sponsor.pk)
    return render(request, "registry/sponsor_form.html", {"form": form}, status=422)


@require_http_methods(["GET", "POST"])
def sponsor_update(request, pk: int):
    """Correct a sponsor's record."""
    sponsor = get_object_or_404(_sponsors(request), pk=pk)
    if request.method == "GET":
        form = SponsorForm(initial=SponsorForm.initial_from(sponsor))
        return render(request, "registry/sponsor_form.html", {"form": form, "sponsor": sponsor})
    form = SponsorForm(request.POST)
    if form.is_valid():
        try:
            services.sponsor_update(by=request.user, sponsor=sponsor, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The sponsor's record was corrected."))
            return redirect("registry:sponsor_detail", pk=sponsor.pk)
    return render(
        request, "registry/sponsor_form.html", {"form": form, "sponsor": sponsor}, status=422
    )
