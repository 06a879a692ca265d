"""League tables across offices or regions: any metric, total or normalised, with sparklines.

Per officer: officers with an officer membership in the office at any time in the period. Per
1,000 foreigners: registry persons (not merged away) with a permit valid at the end of the
period whose latest check was by that office (the column the permit warnings keep), read from
the per-office permit counts the registry keeps.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import BigIntegerField, Case, Count, Expression, F, Q, Sum, Value, When
from django.utils.translation import gettext as _

from silahap.accounts.models import Membership, OrgUnit
from silahap.insights import charts, queries
from silahap.insights.evaluation import Table, as_date, trend_window
from silahap.insights.metrics import Metric
from silahap.insights.periods import Period, month_of
from silahap.insights.queries import Rows
from silahap.registry.models import WarningDay, WarningMonth


@dataclass
class Entry:
    unit: OrgUnit
    parent_name: str
    value: float | int | None
    officers: int
    foreigners: int
    shown: float | int | None
    spark: list

    @property
    def spark_svg(self):
        return charts.sparkline(self.spark)


def _paths_q(paths: tuple[str, ...], field: str = "unit__path") -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def league(
    metric: Metric, *, scopes: list[OrgUnit], period: Period, level: str, norm: str
) -> tuple[list[Entry], Table]:
    paths = tuple(unit.path for unit in scopes)
    kind = OrgUnit.Kind.IMMIGRATION_OFFICE if level == "office" else OrgUnit.Kind.REGIONAL_OFFICE
    # Only what the table and the grouping read: a unit and its parent built from five columns,
    # not two whole rows of fourteen (a national league is 125 of each).
    units = list(
        OrgUnit.objects.filter(_paths_q(paths, "path"), kind=kind, is_active=True)
        .select_related("parent")
        .only("name", "path", "depth", "kind", "parent__name")
        .order_by("name")
    )
    group = _group(units, level)
    rows = Rows(paths=paths)
    values = queries.measure([metric], rows=rows, start=period.start, end=period.end, group=group)
    officers = _officers(paths, units, period, level)
    foreigners = _foreigners(units, period, level)
    window = trend_window(period)
    # Every unit's twelve months in one reading, grouped by (unit, month): exact for distinct
    # counts and medians too, as each month's group is counted on its own.
    # Each unit's monthly value, 0 where it has none (a month without rows).
    key = metric.key
    monthly = {
        (group_key[0], as_date(group_key[1])): cells.get(key) or 0
        for group_key, cells in queries.measure(
            [metric],
            rows=rows,
            start=window.start,
            end=window.end,
            group=(group, queries.MONTH),
        ).items()
        if isinstance(group_key, tuple)  # a tuple group: every key is (unit, month)
    }
    months = [month.start for month in window.months()]
    entries = []
    for unit in units:
        pk = unit.pk
        value = values.get(pk, {}).get(key)
        if value is None and metric.kind in ("sum", "distinct", "total"):
            value = 0
        entry = Entry(
            unit=unit,
            parent_name=unit.parent.name if unit.parent else "",
            value=value,
            officers=officers.get(pk, 0),
            foreigners=foreigners.get(pk, 0),
            shown=value,
            spark=[monthly.get((pk, month), 0) for month in months],
        )
        if norm == "officer" and not metric.is_percent:
            entry.shown = round(value / entry.officers, 2) if entry.officers and value else None
        elif norm == "foreigners" and not metric.is_percent:
            entry.shown = (
                round(1000 * value / entry.foreigners, 2) if entry.foreigners and value else None
            )
        entries.append(entry)
    entries.sort(key=lambda e: (e.shown is None, -(e.shown or 0), e.unit.name))
    return entries, _table(metric, entries, level, norm)


def _group(units: list[OrgUnit], level: str):
    """What groups the rollups by office or by region: each unit's whole subtree, as a child
    group, so sums, distinct counts and medians read the subtrees' kept rows (SubtreeCount,
    SubtreeSeen, SubtreeTally) instead of every unit's months or every person seen in the
    period (a national year: most of a million rows at 1,000,000 activities). For a region,
    its offices and the regional office's own units; for an office, the same as the units
    whose office it is (a unit's office is itself or its nearest office above), unless one
    office lies inside another: then the unit's office, by a join.
    """
    paths = sorted(unit.path for unit in units)
    nested = any(b.startswith(a) for a, b in itertools.pairwise(paths))
    if level == "region" or not nested:
        return queries.child_group(units)
    return "unit__office_id"


def _officers(
    paths: tuple[str, ...], units: list[OrgUnit], period: Period, level: str
) -> dict[int, int]:
    field: F | Case | Expression = F("unit__office_id")
    depths = {unit.depth for unit in units}
    if level == "region" and connection.vendor == "postgresql" and len(depths) == 1:
        # Each region's subtree, as its rollups are read: the member's unit's ancestor at the
        # regions' depth, read from its path (one comparison per region on each membership cost
        # 15 ms for 34 regions and 3,000 officers).
        field = queries.ancestor_group(depths.pop(), "unit__path")
    elif level == "region":
        field = Case(
            *[When(unit__path__startswith=unit.path, then=Value(unit.pk)) for unit in units],
            default=None,
            output_field=BigIntegerField(),
        )
    found = (
        Membership.objects.filter(_paths_q(paths), role=Membership.Role.OFFICER)
        .filter(start_date__lte=period.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .annotate(within=field)
        .values("within")
        .annotate(n=Count("user", distinct=True))
        .order_by()
    )
    return {row["within"]: row["n"] for row in found}


def _foreigners(units: list[OrgUnit], period: Period, level: str) -> dict[int, int]:
    """Each unit's foreigners with a permit valid at the end of the period, from the counts
    the registry's triggers keep per office (models_warnings): the months after the period's
    last month, and the days from its end to the end of that month. A few thousand rows for a
    national league whatever the size of the registry (counting the persons read them all)."""
    if level == "office":
        offices = {unit.pk: unit.pk for unit in units}
    else:
        # The offices within each region's subtree (a region's path starts its offices').
        regions = {unit.path: unit.pk for unit in units}
        offices = {
            office: regions[region_path]
            for office, path in OrgUnit.objects.filter(
                _paths_q(tuple(regions), "path"), kind=OrgUnit.Kind.IMMIGRATION_OFFICE
            ).values_list("pk", "path")
            for region_path in regions
            if path.startswith(region_path)
        }
    last_month = month_of(period.end)
    later = (
        WarningMonth.objects.filter(office__in=offices, regency="", month__gt=last_month.start)
        .values_list("office")
        .annotate(n=Sum("persons"))
        .order_by()
    )
    within = (
        WarningDay.objects.filter(
            office__in=offices, regency="", day__gte=period.end, day__lte=last_month.end
        )
        .values_list("office")
        .annotate(n=Sum("persons"))
        .order_by()
    )
    found: dict[int, int] = defaultdict(int)
    for office, persons in later.union(within, all=True):
        found[offices[office]] += persons
    return dict(found)


def _table(metric: Metric, entries: list[Entry], level: str, norm: str) -> Table:
    table = Table(
        name="league",
        title=_("League table"),
        headers=[
            _("Rank"),
            _("Office") if level == "office" else _("Region"),
            _("Above"),
            metric.label,
            _("Officers"),
            _("Foreigners"),
            dict(total=_("Shown"), officer=_("Per officer"), foreigners=_("Per 1,000 foreigners"))[
                norm
            ],
        ],
    )
    for rank, entry in enumerate(entries, start=1):
        table.rows.append(
            [
                rank,
                entry.unit.name,
                entry.parent_name,
                entry.value,
                entry.officers,
                entry.foreigners,
                entry.shown,
            ]
        )
        table.links.append(entry.unit.pk)
    return table
