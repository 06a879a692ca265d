"""Places under supervision: the list, places near a point, a place with its history and the
foreigners seen there, create and correct.

The place registry is national for immigration staff; the activities at a place follow the
reports' own visibility, and a closed (intelligence) activity's checks name nobody to a reader
who may not read its details.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
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
from silahap.registry.models import ForeignNational, Place
from silahap.registry.views.persons import _apply_errors

PAGE_SIZE = 20
# The place page names at most this many foreigners, the latest seen first.
SEEN_THERE = 50
# Places listed around a point; a longer list means the radius should be smaller.
NEAR_LIMIT = 100


def _places(request):
    return Place.objects.visible_to(request.user)


def _details_readable(user) -> Q:
    """Checks whose activity's details the user may read (as the read_details rule says):
    open activities, their own, and those of units they lead."""
    from silahap.reports.models import Classification

    leader_units = access.units_with_role(user, [access.Role.LEADER])
    return (
        Q(activity__classification=Classification.OPEN)
        | Q(activity__report__officer=user)
        | access.subtree_q(leader_units, "activity__report__unit")
    )


def _seen_there(place: Place, user) -> list[dict]:
    """The foreigners checked at the place: when last seen and how often, latest first."""
    from silahap.reports.models import Check

    rows = list(
        Check.objects.filter(activity__place=place)
        .filter(_details_readable(user))
        .values("person_id")
        .annotate(last_seen=Max("activity__started_at"), times=Count("pk"))
        .order_by("-last_seen", "person_id")[:SEEN_THERE]
    )
    persons = ForeignNational.objects.visible_to(user).in_bulk([row["person_id"] for row in rows])
    return [
        {"person": persons[row["person_id"]], "last_seen": row["last_seen"], "times": row["times"]}
        for row in rows
        if row["person_id"] in persons
    ]


def _point(place: Place) -> dict | None:
    if place.latitude is None:
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
    page = Paginator(places, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/place_list.html", {"form": form, "page": page})


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
    """A place, the activities there that the user may see (newest first, in pages) and the
    foreigners checked there."""
    from silahap.reports.models import Activity

    place = get_object_or_404(
        _places(request).select_related("regency__province", "district", "village", "merged_into"),
        pk=pk,
    )
    activities = (
        Activity.objects.visible_to(request.user)
        .filter(place=place)
        .select_related("report__officer", "report__unit")
        .annotate(
            check_count=Count("checks", distinct=True),
            finding_count=Count("findings", distinct=True),
        )
        .order_by("-started_at", "-pk")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    seen = _seen_there(place, request.user)
    audit.record(
        action="place.view",
        actor=request.user,
        target=place,
        summary={"persons": len(seen), "page": page.number},
    )
    point = _point(place)
    return render(
        request,
        "registry/place_detail.html",
        {"place": place, "page": page, "seen": seen, "points": [point] if point else []},
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
