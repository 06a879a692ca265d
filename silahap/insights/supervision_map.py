"""The supervision map (peta pengawasan, Permenimipas 2/2025 Pasal 53 huruf c): where the
period's activities, checks and findings were, within the viewer's scope.

Zoomed out, the server answers grid cells (counts per cell, a few hundred rows whatever the
number of activities); zoomed in, the points of one view box, at most MAX_POINTS, which the page
clusters. Closed (intelligence) activities never appear: not as points and not in the counts.

The cells, the number of points and the table by regency are read from the rollups: each filed
report's open activities with a point are counted by cell of the finest grid drawn as cells
(FINE_ZOOM; a coarser zoom's cell is a block of them, as each zoom halves the cell), also per
violation type found and per nationality checked there, and by regency with their checks and
findings (rollups._map_rows). A map filtered by violation type and nationality together, and the
regency table of a filtered map, count the activities themselves.

Zoomed out to WIDE_ZOOM or less (the national and regional views) over whole months, the cells
are read from each scope's own subtree sums instead (SubtreeCount, kinds WIDE: the same counts
by the cells of WIDE_ZOOM, `widened`): one row per wide cell and month whatever the number of
units, activities or fine cells below, so a national year costs the same at ten million
activities as at a hundred thousand. The fine rows of every team and month were what grew.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from silahap.areas.models import Regency
from silahap.insights.models import DailyCount, MonthlyCount, SubtreeCount
from silahap.insights.queries import whole_months
from silahap.reports.models import Activity, Check, Classification, Finding

POINT_ZOOM = 11
# The finest zoom drawn as cells: the rollups count activities by its cells.
FINE_ZOOM = POINT_ZOOM - 1
MAX_POINTS = 1000
# The rollups' sources (insights.rollups._map_rows); not metrics of the catalogue.
CELL = "map_cell"
CELL_VIOLATION = "map_cell_violation"
CELL_NATIONALITY = "map_cell_nationality"
# Activities with a finding of a type and a check of a nationality: "code|NN|cell".
CELL_PAIR = "map_cell_pair"
REGENCY = "map_regency"
REGENCY_CHECKS = "map_regency_checks"
REGENCY_FINDINGS = "map_regency_findings"
# The same per regency for a filtered map, the filter leading the dimension: "v:code|regency"
# (a violation type found), "n:NN|regency" (a nationality checked), "p:code|NN|regency" (both);
# the activities, all their checks and all their findings, as `by_regency` counts them.
REGENCY_BY = "map_regency_by"
REGENCY_BY_CHECKS = "map_regency_by_checks"
REGENCY_BY_FINDINGS = "map_regency_by_findings"
# The cells of this zoom and coarser are read from the subtrees' sums of these kinds: the fine
# sources' counts by WIDE_ZOOM cell, dimensions shaped alike ("code|NN|row:column"). Kept with
# the other subtree sums (rollups.SUBTREE_SOURCES) from the unit-months' fine rows.
WIDE_ZOOM = 7
WIDE = {
    CELL: "map_wide",
    CELL_VIOLATION: "map_wide_violation",
    CELL_NATIONALITY: "map_wide_nationality",
    CELL_PAIR: "map_wide_pair",
}
# Fine cells per wide cell, along each side.
WIDE_STEP = 2 ** (FINE_ZOOM - WIDE_ZOOM)


def filtered_keys(types, nationalities) -> list[str]:
    """The leading parts of an activity's REGENCY_BY dimensions: one per violation type found,
    nationality checked, and pair of them."""
    return [
        *[f"v:{code}" for code in types],
        *[f"n:{nationality}" for nationality in nationalities],
        *[f"p:{code}|{nationality}" for code in types for nationality in nationalities],
    ]


def point_counts(points: QuerySet, found: QuerySet, checked: QuerySet) -> Counter:
    """The map's rollup counts of these open activities with a point (`found` their findings,
    `checked` their checks), keyed (report id, source, dimension): by grid cell, by cell per
    violation type found, per nationality checked and per pair of them (each activity once per
    type, nationality or pair), by regency with their checks and findings, and by regency under
    each filter they pass. Model-agnostic enough for a migration's historical models."""
    counts: Counter = Counter()
    cell_of: dict[int, tuple[int, str, str]] = {}
    for pk, report_id, latitude, longitude, regency in points.values_list(
        "pk", "report_id", "latitude", "longitude", "place__regency_id"
    ):
        cell = fine_cell(latitude, longitude)
        cell_of[pk] = (report_id, cell, regency or "")
        counts[(report_id, CELL, cell)] += 1
        counts[(report_id, REGENCY, regency or "")] += 1
    if not cell_of:
        return counts
    types: dict[int, list[str]] = defaultdict(list)
    # Without the models' ordering, which DISTINCT would otherwise select too.
    for activity_id, code in (
        found.values_list("activity_id", "violation_type__code").order_by().distinct()
    ):
        report_id, cell, _regency = cell_of[activity_id]
        counts[(report_id, CELL_VIOLATION, f"{code}|{cell}")] += 1
        types[activity_id].append(code)
    nationalities: dict[int, list[str]] = defaultdict(list)
    for activity_id, nationality in (
        checked.values_list("activity_id", "person__nationality").order_by().distinct()
    ):
        report_id, cell, _regency = cell_of[activity_id]
        counts[(report_id, CELL_NATIONALITY, f"{nationality or ''}|{cell}")] += 1
        nationalities[activity_id].append(nationality or "")
        for code in types.get(activity_id, ()):
            counts[(report_id, CELL_PAIR, f"{code}|{nationality or ''}|{cell}")] += 1
    checks = dict(checked.values_list("activity_id").annotate(n=Count("pk")).order_by())
    findings = dict(found.values_list("activity_id").annotate(n=Count("pk")).order_by())
    for activity_id, (report_id, _cell, regency) in cell_of.items():
        number_checked = checks.get(activity_id, 0)
        number_found = findings.get(activity_id, 0)
        counts[(report_id, REGENCY_CHECKS, regency)] += number_checked
        counts[(report_id, REGENCY_FINDINGS, regency)] += number_found
        for key in filtered_keys(types.get(activity_id, ()), nationalities.get(activity_id, ())):
            dimension = f"{key}|{regency}"
            counts[(report_id, REGENCY_BY, dimension)] += 1
            counts[(report_id, REGENCY_BY_CHECKS, dimension)] += number_checked
            counts[(report_id, REGENCY_BY_FINDINGS, dimension)] += number_found
    return counts


def _filter_key(chosen: MapFilter) -> str:
    if chosen.violation and chosen.nationality:
        return f"p:{chosen.violation}|{chosen.nationality}"
    if chosen.violation:
        return f"v:{chosen.violation}"
    return f"n:{chosen.nationality}" if chosen.nationality else ""


@dataclass(frozen=True)
class MapFilter:
    start: datetime.date
    end: datetime.date
    unit_path: str = ""
    violation: str = ""
    nationality: str = ""


def _utc(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


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
            # The same days as a span of start times wide enough for any time zone (an activity
            # starts on its report's local day): what the index by time and place reads.
            started_at__gte=_utc(chosen.start - datetime.timedelta(days=1)),
            started_at__lt=_utc(chosen.end + datetime.timedelta(days=2)),
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


def fine_cell(latitude, longitude) -> str:
    """The rollups' name of the FINE_ZOOM cell holding a point, "row:column", as `cells`
    computes it in the database (a float division of the decimal degrees, floored)."""
    size = cell_size(FINE_ZOOM)
    return f"{math.floor(float(latitude) / size)}:{math.floor(float(longitude) / size)}"


def widened(dimension: str) -> str:
    """A fine source's dimension with its FINE_ZOOM cell replaced by the WIDE_ZOOM cell holding
    it ("CN|-77:1450" -> "CN|-10:181"; floored, as `zoomed_cells` groups)."""
    prefix, bar, cell = dimension.rpartition("|")
    row, column = cell.split(":")
    return f"{prefix}{bar}{int(row) // WIDE_STEP}:{int(column) // WIDE_STEP}"


def _outermost(paths: list[str]) -> list[str]:
    """The paths not inside another of them: each subtree summed once."""
    return sorted(p for p in set(paths) if not any(p != q and p.startswith(q) for q in paths))


def _rolled(paths: list[str], chosen: MapFilter) -> QuerySet:
    """The rollup rows of the viewer's scope, the chosen unit and the period: the monthly rows
    for whole months, else the daily ones."""
    model = MonthlyCount if whole_months([(chosen.start, chosen.end)]) else DailyCount
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(unit_path__startswith=path)
    rows = model.objects.filter(scope, day__gte=chosen.start, day__lte=chosen.end)
    if chosen.unit_path:
        rows = rows.filter(unit_path__startswith=chosen.unit_path)
    return rows


def _cell_filter(chosen: MapFilter) -> tuple[str, str]:
    """The fine source a filter reads and the prefix its dimensions start with."""
    if chosen.violation and chosen.nationality:
        return CELL_PAIR, f"{chosen.violation}|{chosen.nationality}|"
    if chosen.violation:
        return CELL_VIOLATION, f"{chosen.violation}|"
    if chosen.nationality:
        return CELL_NATIONALITY, f"{chosen.nationality}|"
    return CELL, ""


def rolled_cells(
    paths: list[str], chosen: MapFilter, zoom: int = FINE_ZOOM
) -> tuple[dict[tuple[int, int], int], int]:
    """Activities per cell from the rollups, and the zoom those cells are of: WIDE_ZOOM's from
    the scopes' subtree sums when `zoom` is no finer and the period is whole months, else
    FINE_ZOOM's from the units' monthly or daily rows."""
    source, prefix = _cell_filter(chosen)
    if zoom <= WIDE_ZOOM and whole_months([(chosen.start, chosen.end)]):
        subtrees = [chosen.unit_path] if chosen.unit_path else _outermost(paths)
        rows = SubtreeCount.objects.filter(
            kind=WIDE[source],
            unit_path__in=subtrees,
            day__gte=chosen.start,
            day__lte=chosen.end,
        )
        level = WIDE_ZOOM
    else:
        rows = _rolled(paths, chosen).filter(metric=source)
        level = FINE_ZOOM
    if prefix:
        rows = rows.filter(dimension__startswith=prefix)
    found: dict[tuple[int, int], int] = defaultdict(int)
    # One row per cell the period touched, fetched at once. A subtree's row may hold 0 (its
    # activities moved or deleted since): no cell for it.
    for dimension, total in rows.values_list("dimension").annotate(total=Sum("value")).order_by():
        if total:
            row, column = dimension.rpartition("|")[2].split(":")
            found[(int(row), int(column))] += total
    return found, level


def zoomed_cells(
    cells: dict[tuple[int, int], int], zoom: int, level: int = FINE_ZOOM
) -> list[dict]:
    """The cells of `zoom` from cells of the finer `level`: each a block of 2^(level - zoom) a
    side."""
    step = 2 ** (level - min(max(zoom, 0), level))
    grouped: dict[tuple[int, int], int] = defaultdict(int)
    for (row, column), total in cells.items():
        grouped[(row // step, column // step)] += total
    return [_cell(row, column, total, cell_size(zoom)) for (row, column), total in grouped.items()]


def in_view(cells: list[dict], box: tuple[float, float, float, float]) -> list[dict]:
    """The cells that overlap the view box (south, west, north, east), even by an edge."""
    south, west, north, east = box
    return [
        cell
        for cell in cells
        if cell["south"] <= north
        and cell["north"] >= south
        and cell["west"] <= east
        and cell["east"] >= west
    ]


def _cell(row: int, column: int, total: int, size: float) -> dict:
    return {
        "lat": round((row + 0.5) * size, 5),
        "lng": round((column + 0.5) * size, 5),
        "activities": total,
        # The cell's box, so a click lists exactly what it counted.
        "south": round(row * size, 5),
        "north": round((row + 1) * size, 5),
        "west": round(column * size, 5),
        "east": round((column + 1) * size, 5),
    }


def rolled_regencies(
    paths: list[str], chosen: MapFilter, limit: int = 30
) -> list[tuple[str, int, int, int]]:
    """`by_regency` from the rollups, filtered or not."""
    rows = _rolled(paths, chosen)
    key = _filter_key(chosen)
    if key:
        prefix = f"{key}|"
        rows = rows.filter(
            metric__in=(REGENCY_BY, REGENCY_BY_CHECKS, REGENCY_BY_FINDINGS),
            dimension__startswith=prefix,
        )
    else:
        prefix = ""
        rows = rows.filter(metric__in=(REGENCY, REGENCY_CHECKS, REGENCY_FINDINGS))
    plain = {REGENCY_BY: REGENCY, REGENCY_BY_CHECKS: REGENCY_CHECKS,
             REGENCY_BY_FINDINGS: REGENCY_FINDINGS}  # fmt: skip
    by_regency: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for metric, dimension, total in (
        rows.values_list("metric", "dimension").annotate(total=Sum("value")).order_by()
    ):
        by_regency[dimension[len(prefix) :]][plain.get(metric, metric)] += total
    names = dict(
        Regency.objects.filter(pk__in=[code for code in by_regency if code]).values_list(
            "pk", "name"
        )
    )
    # As the database orders them: most activities first, then by name, a missing regency last.
    ordered = sorted(
        by_regency.items(),
        key=lambda item: (-item[1][REGENCY], names.get(item[0]) is None, names.get(item[0], "")),
    )
    return [
        (
            names.get(code) or "—",
            counts[REGENCY],
            counts[REGENCY_CHECKS],
            counts[REGENCY_FINDINGS],
        )
        for code, counts in ordered[:limit]
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
