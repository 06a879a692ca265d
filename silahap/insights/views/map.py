"""The supervision map page and its feed (cells zoomed out, clustered points zoomed in)."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from silahap.insights import scope
from silahap.insights import supervision_map as peta
from silahap.insights.forms import MapForm
from silahap.reports.models import ViolationType

FIELDS = ("p", "unit", "violation", "nationality", "zoom", "south", "north", "west", "east")


def _form(request) -> tuple[MapForm, list[str], peta.MapFilter | None]:
    units = scope.scopes(request.user)
    if not units:
        raise Http404
    form = MapForm(
        {name: request.GET.get(name, "") for name in FIELDS}, today=scope.today_for(None)
    )
    if not form.is_valid():
        return form, [], None
    data = form.cleaned_data
    unit_path = ""
    if data["unit"]:
        unit_path = scope.unit_or_404(request.user, data["unit"]).path
    period = data["p"]
    chosen = peta.MapFilter(
        start=period.start,
        end=period.end,
        unit_path=unit_path,
        violation=data["violation"],
        nationality=data["nationality"],
    )
    return form, [unit.path for unit in units], chosen


@require_GET
def supervision_map(request):
    form, paths, chosen = _form(request)
    context = {
        "form": form,
        "violations": ViolationType.objects.filter(is_active=True),
        "units": scope.units_in_scope(request.user).filter(
            kind__in=["regional_office", "immigration_office"]
        ),
    }
    if chosen is None:
        return render(request, "insights/map.html", context, status=400)
    # The number of points: the sum of the cells at any zoom, the widest the cheapest.
    cells, _level = peta.rolled_cells(paths, chosen, zoom=0)
    context.update(
        {
            "period": form.cleaned_data["p"],
            "regencies": peta.rolled_regencies(paths, chosen),
            "feed_url": reverse("insights:map_feed"),
            "list_url": reverse("insights:map_list"),
            "point_count": sum(cells.values()),
        }
    )
    return render(request, "insights/map.html", context)


@require_GET
def map_feed(request):
    form, paths, chosen = _form(request)
    if chosen is None:
        return JsonResponse({"errors": form.errors}, status=400)
    data = form.cleaned_data
    rows = peta.activities(request.user, paths, chosen)
    zoom = data["zoom"] if data["zoom"] is not None else 5
    box = (data["south"], data["west"], data["north"], data["east"])
    if zoom >= peta.POINT_ZOOM and None not in box:
        return JsonResponse({"kind": "points", "points": peta.points(rows, box)})
    cells, level = peta.rolled_cells(paths, chosen, zoom)
    found = peta.zoomed_cells(cells, zoom, level)
    if None not in box:
        # Only what the view shows: the page asks again after every move. Zoomed in on a city,
        # a national scope's fine cells of the whole country would otherwise all be sent.
        found = peta.in_view(found, box)
    return JsonResponse({"kind": "cells", "cells": found})


@require_GET
def map_list(request):
    """Every point of the map as a paged table: the map's text alternative, and what a click on
    a grid cell or a cluster opens (its box in south/west/north/east)."""
    form, paths, chosen = _form(request)
    if chosen is None:
        return render(request, "insights/map_list.html", {"form": form}, status=400)
    data = form.cleaned_data
    rows = peta.activities(request.user, paths, chosen)
    box = (data["south"], data["west"], data["north"], data["east"])
    boxed = None not in box
    if boxed:
        rows = peta.within(rows, box)
    total = rows.count()
    pages = max(1, -(-total // peta.LIST_PAGE))
    page = min(max(_page(request), 1), pages)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "insights/map_list.html",
        {
            "form": form,
            "period": data["p"],
            "boxed": boxed,
            "total": total,
            "rows": peta.listed(rows, (page - 1) * peta.LIST_PAGE),
            "page": page,
            "pages": pages,
            "query": query.urlencode(),
        },
    )


def _page(request) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1
