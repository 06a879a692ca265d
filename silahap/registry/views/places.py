"""Places under supervision: the list, places near a point, a place (reports adds its history
and the foreigners seen there: silahap/reports/registry_sections.py), create and correct.

The place registry is national for immigration staff.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from silahap import limits
from silahap.accounts import access
from silahap.audit import services as audit
from silahap.registry import search, services
from silahap.registry.forms.places import (
    PlaceCreateForm,
    PlaceForm,
    PlaceSearchForm,
    PlacesNearForm,
)
from silahap.registry.models import Place
from silahap.registry.views import paging
from silahap.registry.views.persons import _apply_errors
from silahap.sections import registry as sections

PAGE_SIZE = 20
# Places listed around a point; a longer list means the radius should be smaller.
NEAR_LIMIT = 100


def _places(request):
    return Place.objects.visible_to(request.user)


def _point(place: Place) -> dict | None:
    if place.latitude is None or place.longitude is None:
        return None
    return {
        "lat": float(place.latitude),
        "lng": float(place.longitude),
        "label": place.name,
        "url": place.get_absolute_url(),
    }


@require_GET
def place_list(request):
    """Places by name, kind and regency, in pages."""
    access.require_staff(request.user)
    form = PlaceSearchForm(request.GET or None)
    places = _places(request).filter(merged_into__isnull=True)
    if form.is_valid():
        data = form.cleaned_data
        places = places.filter(search.place_name_condition(data["q"]))
        if data["kind"]:
            places = places.filter(kind=data["kind"])
        if data["regency"] is not None:
            places = places.filter(regency=data["regency"])
    places = places.select_related("regency").order_by("name", "pk")
    paginator = paging.CappedPaginator(places, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "registry/place_list.html",
        {"form": form, "page": page, "count_limit": paginator.limit},
    )


@require_GET
def places_near(request):
    """Places within a radius of a point, nearest first, on a map and in a list."""
    access.require_staff(request.user)
    form = PlacesNearForm(request.GET or None)
    context: dict = {"form": form, "results": None}
    if form.is_valid():
        data = form.cleaned_data
        results = search.places_near(
            _places(request), data["lat"], data["lng"], radius_m=data["radius"], limit=NEAR_LIMIT
        )
        context["results"] = results
        context["map"] = {
            "center": {"lat": float(data["lat"]), "lng": float(data["lng"])},
            "radius": data["radius"],
            "places": [_point(place) for place, _distance in results],
        }
    status = 422 if form.is_bound and not form.is_valid() else 200
    return render(request, "registry/place_near.html", context, status=status)


@require_GET
def place_detail(request, pk: int):
    """A place on its map; reports adds the activities there and the foreigners checked there
    (the slot registry.place_detail), counted in the place's audit event."""
    place = get_object_or_404(
        _places(request).select_related("regency__province", "district", "village", "merged_into"),
        pk=pk,
    )
    prepared = sections.prepare("registry.place_detail", request, place=place)
    audit.record(
        action="place.view",
        actor=request.user,
        target=place,
        summary=sections.summary(prepared),
    )
    point = _point(place)
    return render(
        request,
        "registry/place_detail.html",
        {"place": place, "prepared": prepared, "points": [point] if point else []},
    )


@require_http_methods(["GET", "POST"])
def place_create(request):
    """Register a place; the page's key makes a double tap or a retry land on the first."""
    access.require_staff(request.user)
    if request.method == "GET":
        form = PlaceCreateForm(initial={"name": request.GET.get("name", "")[: limits.NAME]})
        return render(request, "registry/place_form.html", {"form": form})
    form = PlaceCreateForm(request.POST)
    if form.is_valid():
        try:
            place = services.place_create(
                by=request.user, client_id=form.cleaned_data["client_id"], **form.values()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The place was registered."))
            return redirect(place.get_absolute_url())
    return render(request, "registry/place_form.html", {"form": form}, status=422)


@require_http_methods(["GET", "POST"])
def place_update(request, pk: int):
    """Correct a place's name, kind, address, areas or point."""
    place = get_object_or_404(
        _places(request).select_related("regency"), pk=pk, merged_into__isnull=True
    )
    if request.method == "GET":
        form = PlaceForm(initial=PlaceForm.initial_from(place))
        return render(request, "registry/place_form.html", {"form": form, "place": place})
    form = PlaceForm(request.POST)
    if form.is_valid():
        try:
            services.place_update(by=request.user, place=place, **form.values())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The place was corrected."))
            return redirect(place.get_absolute_url())
    return render(request, "registry/place_form.html", {"form": form, "place": place}, status=422)
