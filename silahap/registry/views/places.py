"""A place under supervision: where it is, and what was found there."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from silahap.registry.models import Place
from silahap.reports.models import Activity

RECENT_ACTIVITIES = 50


@require_GET
def place_detail(request, pk: int):
    place = get_object_or_404(
        Place.objects.visible_to(request.user).select_related(
            "regency__province", "district", "village", "merged_into"
        ),
        pk=pk,
    )
    activities = list(
        Activity.objects.visible_to(request.user)
        .filter(place=place)
        .select_related("report__officer", "report__unit")
        .annotate(
            check_count=Count("checks", distinct=True),
            finding_count=Count("findings", distinct=True),
        )
        .order_by("-started_at")[:RECENT_ACTIVITIES]
    )
    points = []
    if place.latitude is not None:
        points = [
            {"lat": float(place.latitude), "lng": float(place.longitude), "label": place.name}
        ]
    return render(
        request,
        "registry/place_detail.html",
        {"place": place, "activities": activities, "points": points},
    )
