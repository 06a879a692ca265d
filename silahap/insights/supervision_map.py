"""The supervision map (peta pengawasan, Permenimipas 2/2025 Pasal 53 huruf c): where the
period's activities, checks and findings were, within the viewer's scope.

Zoomed out, the server answers grid cells (counts per cell, a few hundred rows whatever the
number of activities); zoomed in, the points of one view box, at most MAX_POINTS, which the page
clusters. Closed (intelligence) activities never appear: not as points and not in the counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Floor

from silahap.reports.models import Activity, Check, Classification, Finding

POINT_ZOOM = 11
MAX_POINTS = 1000


@dataclass(frozen=True)
class MapFilter:
    start: datetime.date
    end: datetime.date
    unit_path: str = ""
    violation: str = ""
    nationality: str = ""


def activities(user, paths: list[str], chosen: MapFilter) -> QuerySet:
    """Open, filed activities with a point, in the viewer's scope and the filter."""
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(report__unit__path__startswith=path)
    rows = (
        Activity.objects.visible_to(user)
        .filter(scope)
        .exclude(classification=Classification.CLOSED)
        .filter(
            report__first_submitted_at__isnull=False,
            report__report_date__gte=chosen.start,
            report__report_date__lte=chosen.end,
            latitude__isnull=False,
            longitude__isnull=False,
        )
    )
    if chosen.unit_path:
        rows = rows.filter(report__unit__path__startswith=chosen.unit_path)
    if chosen.violation:
        rows = rows.filter(
            Exists(
                Finding.objects.filter(
                    activity=OuterRef("pk"), violation_type__code=chosen.violation
                )
            )
        )
    if chosen.nationality:
        rows = rows.filter(
            Exists(
                Check.objects.filter(
                    activity=OuterRef("pk"), person__nationality=chosen.nationality
                )
            )
        )
    return rows


def cell_size(zoom: int) -> float:
    """Degrees per grid cell: about 60 px on screen at each zoom."""
    return max(360 / (2 ** max(zoom, 0)) * 60 / 256, 0.01)


def cells(rows: QuerySet, zoom: int) -> list[dict]:
    size = cell_size(zoom)
    grouped = (
        rows.annotate(
            cell_y=Floor(Cast(F("latitude"), FloatField()) / size),
            cell_x=Floor(Cast(F("longitude"), FloatField()) / size),
        )
        .values("cell_y", "cell_x")
        .annotate(activities=Count("pk"))
        .order_by()
    )
    return [
        {
            "lat": round((row["cell_y"] + 0.5) * size, 5),
            "lng": round((row["cell_x"] + 0.5) * size, 5),
            "activities": row["activities"],
            # The cell's box, so a click lists exactly what it counted.
            "south": round(row["cell_y"] * size, 5),
            "north": round((row["cell_y"] + 1) * size, 5),
            "west": round(row["cell_x"] * size, 5),
            "east": round((row["cell_x"] + 1) * size, 5),
        }
        for row in grouped
    ]


def within(rows: QuerySet, box: tuple[float, float, float, float]) -> QuerySet:
    south, west, north, east = box
    return rows.filter(
        latitude__gte=Decimal(str(south)),
        latitude__lte=Decimal(str(north)),
        longitude__gte=Decimal(str(west)),
        longitude__lte=Decimal(str(east)),
    )


# One page of the list beside the map (and of a clicked cell or cluster).
LIST_PAGE = 50


def listed(rows: QuerySet, offset: int) -> list[dict]:
    """A page of the points as rows of a table: newest first, with their checks and findings
    counted in the same query (no query per row)."""
    return list(
        rows.order_by("-started_at", "-pk")
        .annotate(
            check_count=Count("checks", distinct=True),
            finding_count=Count("findings", distinct=True),
        )
        .values(
            "pk",
            "report__report_date",
            "report__unit__name",
            "place__name",
            "place__regency__name",
            "latitude",
            "longitude",
            "check_count",
            "finding_count",
        )[offset : offset + LIST_PAGE]
    )


def points(rows: QuerySet, box: tuple[float, float, float, float]) -> list[dict]:
    inside = within(rows, box)
    found = inside.order_by("-started_at").values(
        "pk", "latitude", "longitude", "report__report_date", "place__name"
    )[:MAX_POINTS]
    return [
        {
            "id": row["pk"],
            "lat": float(row["latitude"]),
            "lng": float(row["longitude"]),
            "label": f"{row['place__name'] or ''} {row['report__report_date']:%d-%m-%Y}".strip(),
        }
        for row in found
    ]


def by_regency(rows: QuerySet, limit: int = 30) -> list[tuple[str, int, int, int]]:
    """The accessible table beside the map: activities, checks and findings per regency/city."""
    grouped = (
        rows.values("place__regency__name")
        .annotate(
            activities=Count("pk", distinct=True),
            checks=Count("checks", distinct=True),
            findings=Count("findings", distinct=True),
        )
        .order_by("-activities", "place__regency__name")[:limit]
    )
    return [
        (row["place__regency__name"] or "—", row["activities"], row["checks"], row["findings"])
        for row in grouped
    ]
