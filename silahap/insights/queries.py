"""Read the metrics from the rollups: for a scope, by child unit, by officer, by month.

Every read is a handful of grouped queries over the rollup tables' (metric, unit_path, day)
indexes, whatever the size of the history: one for every additive count, one per distinct set,
one per median. Non-additive metrics are grouped in the database (COUNT(DISTINCT), the median
over all rows), never combined from smaller groups.

A period made of whole months that is not read per officer reads the monthly level (one row per
unit, month, metric and dimension; one per unit, month and person or place seen): the same
numbers from about a hundred times fewer rows. When each group is also one unit's whole
subtree, distinct counts sum the subtree's runs (SubtreeSeen: how many values a subtree saw in a
month, by the month it last saw them before) and medians walk the subtree's histogram
(SubtreeTally): a national year is a few hundred or thousand rows, not every person seen or
every report reviewed that year. Otherwise medians read every daily value, which is exact.
Read per officer over whole months within one unit's subtree (a leader's table of members),
distinct counts sum each officer's runs within that unit (OfficerSeen) instead of counting every
daily value.
"""

from __future__ import annotations

import datetime
import re
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, NullIf, TruncMonth
from django.db.models.lookups import In

from silahap.accounts.models import OrgUnit
from silahap.insights import metrics as catalogue
from silahap.insights.metrics import Metric
from silahap.insights.models import (
    DailyCount,
    DailyValue,
    MonthlyCount,
    MonthlyValue,
    OfficerMonthCount,
    OfficerSeen,
    SubtreeCount,
    SubtreeMonthSeen,
    SubtreeSeen,
    SubtreeTally,
    SubtreeYearTally,
)

Number = int | float | None


class Median(Aggregate):
    """PostgreSQL's exact median (percentile_cont), over every row of the group."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class Rows:
    """Which rollup rows a reading covers: subtrees by path, optionally some officers only."""

    paths: tuple[str, ...] = ()
    officer_ids: tuple[int, ...] = ()

    def q(self) -> Q:
        query = _paths_q(self.paths)
        if self.officer_ids:
            query &= Q(officer_id__in=self.officer_ids)
        return query


def _needed(wanted: Iterable[Metric]) -> list[Metric]:
    """The metrics to read for `wanted`, with the parts of totals and ratios."""
    found: dict[str, Metric] = {}

    def add(metric: Metric) -> None:
        if metric.key in found:
            return
        found[metric.key] = metric
        for key in (*metric.parts, metric.numerator, metric.denominator):
            if key:
                add(catalogue.BY_KEY[key])

    for metric in wanted:
        add(metric)
    return list(found.values())


def measure(
    wanted: Sequence[Metric],
    *,
    rows: Rows,
    start: datetime.date,
    end: datetime.date,
    group: str | Expression | tuple | None = None,
    ranges: Sequence[tuple[datetime.date, datetime.date]] = (),
    daily: bool = False,
) -> dict[object, dict[str, Number]]:
    """Each group's value of each wanted metric (group None: one group, key None; a tuple of
    expressions: keys are tuples, e.g. (office, MONTH) for every sparkline in one reading;
    MONTH groups by calendar month, keyed by its first day).

    `ranges`, when given, replaces start..end by several day ranges read in the same queries
    (the group then tells them apart). `daily` reads the daily rows even for whole months."""
    needed = _needed(wanted)
    spans = list(ranges) or [(start, end)]
    monthly = not daily and monthly_level(rows, spans, group)
    counts, sets = (MonthlyCount, MonthlyValue) if monthly else (DailyCount, DailyValue)
    fields = _group_fields(group, monthly=monthly)
    days = Q(day__gte=start, day__lte=end)
    if ranges:
        days = Q(pk__in=[])
        for first, last in ranges:
            days |= Q(day__gte=first, day__lte=last)
    where = rows.q() & days
    by_group: dict[object, dict[str, Number]] = defaultdict(dict)
    sums = [m for m in needed if m.kind == "sum"]
    if sums:
        sources = {m.source for m in sums}
        chosen = _subtrees(rows, group) if monthly else None
        if chosen is not None:
            # Each group one whole subtree over whole months: its own sums, a row per metric,
            # dimension and month, however many units lie below.
            # Rows a change brought back to 0 stay (increments never delete): left out, as a
            # group or dimension with no row.
            summed = SubtreeCount.objects.filter(
                chosen & _months_q(spans), kind__in=sources
            ).exclude(value=0)
            _sums(summed, "kind", sums, fields, by_group)
        elif (officer_months := None if daily else _officer_months(rows, spans, group)) is not None:
            # Per officer over whole months: each officer's monthly sums within the subtree, a
            # row per officer, unit, month, metric and dimension instead of one per day.
            _sums(
                officer_months.filter(metric__in=sources),
                "metric",
                sums,
                _group_fields(group, monthly=True),
                by_group,
            )
        else:
            _sums(
                counts.objects.filter(where, metric__in=sources), "metric", sums, fields, by_group
            )
    distinct = [m for m in needed if m.kind == "distinct"]
    if distinct:
        _distinct(distinct, sets, where, fields, by_group, rows, spans, group, monthly, daily)
    for metric in needed:
        if metric.kind == "median":
            tally = _tally(metric, rows, spans, group) if monthly else None
            if tally is not None:
                found = _tallied_medians(tally, fields)
            else:
                found = _medians(DailyValue.objects.filter(where, kind=metric.source), fields)
            for key, value in found:
                by_group[key][metric.key] = value
    if not fields:
        by_group.setdefault(None, {})
    derive = _deriver(needed)
    for values in by_group.values():
        derive(values)
    return dict(by_group)


def _distinct(distinct, sets, where, fields, by_group, rows, spans, group, monthly, daily) -> None:
    """Every distinct count (persons checked, places visited) in one query grouped by kind as
    well: the subtrees' or officers' runs summed when the reading allows (which depends on the
    rows, the spans and the grouping, never on the metric), else the sets counted."""
    kinds = [metric.source for metric in distinct]
    seen = _seen(kinds, rows, spans, group) if monthly else None
    if seen is None and not daily and whole_months(spans):
        seen = _officer_seen(kinds, rows, spans, group)
    aggregate: Aggregate
    if seen is not None:
        queryset, aggregate = seen, Sum("value")
    else:
        queryset = sets.objects.filter(where, kind__in=kinds)
        aggregate = Count("value", distinct=True)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for metric in distinct:
        by_kind[metric.source].append(metric.key)
    width = len(fields)
    for *parts, kind, value in (
        queryset.annotate(**fields)
        .values_list(*fields, "kind")
        .annotate(value=aggregate)
        .order_by()
    ):
        key = None if not width else parts[0] if width == 1 else tuple(parts)
        cells = by_group[key]
        for name in by_kind[kind]:
            cells[name] = value


# A unit's path: ids from the root, e.g. "/1/4/9/".
UNIT_PATH = re.compile(r"(/[0-9]+)+/")


def _subtrees(rows: Rows, group) -> Q | None:
    """Which units' own rows of SubtreeSeen or SubtreeTally make this reading's groups, or None
    when a group is not one whole subtree (several scopes together, a grouping by a joined
    column), which then reads the sets or the daily values.

    Each group must be one unit's subtree: the reading's one path, or the units a unit group
    names (`ancestor_group`, `child_group`) under the reading's paths; months and periods may
    split it further."""
    parts = group if isinstance(group, tuple) else (group,)
    units = [part for part in parts if getattr(part, "subtrees", None) is not None]
    others = [part for part in parts if part not in units and part is not None]
    if len(units) > 1 or any(
        part != MONTH and not getattr(part, "by_day", False) for part in others
    ):
        return None
    if units:
        return units[0].subtrees(rows.paths)
    if len(rows.paths) == 1 and UNIT_PATH.fullmatch(rows.paths[0]):
        return Q(unit_path=rows.paths[0])
    return None


def _months_q(spans, *, first_seen: bool = False) -> Q:
    when = Q(pk__in=[])
    for first, last in spans:
        if first_seen:
            # A value counts at its first month in the span: the one seen last before it.
            when |= Q(day__gte=first, day__lte=last, previous__lt=first)
        else:
            when |= Q(day__gte=first, day__lte=last)
    return when


def _seen(kinds: Sequence[str], rows: Rows, spans, group):
    """The SubtreeSeen rows of these kinds whose sum, in each group and kind, is the group's
    distinct count, or None.

    A group by month, or a span of one month (a month's page, its comparisons with the month
    before and the same month a year before), counts each month on its own: its total
    (SubtreeMonthSeen, one row per unit and month, however many months of history lie before
    it); otherwise a value counts once, at its first month in the span."""
    chosen = _subtrees(rows, group)
    if chosen is None:
        return None
    parts = group if isinstance(group, tuple) else (group,)
    if MONTH in parts or all(
        (first.year, first.month) == (last.year, last.month) for first, last in spans
    ):
        return SubtreeMonthSeen.objects.filter(chosen & _months_q(spans), kind__in=kinds)
    return SubtreeSeen.objects.filter(chosen & _months_q(spans, first_seen=True), kind__in=kinds)


def _officer_seen(kinds: Sequence[str], rows: Rows, spans, group):
    """The OfficerSeen rows of these kinds whose sum, in each group and kind, is the group's
    distinct count, or None when the reading is not per officer within one unit's whole
    subtree.

    Each group is one officer (grouped by officer, or the reading's officers only), split
    further by month or period or not at all."""
    parts = group if isinstance(group, tuple) else (group,)
    if "officer_id" not in parts and not rows.officer_ids:
        return None
    if any(
        part not in ("officer_id", MONTH) and not getattr(part, "by_day", False)
        for part in parts
        if part is not None
    ):
        return None
    if len(rows.paths) != 1 or not UNIT_PATH.fullmatch(rows.paths[0]):
        return None
    chosen = Q(unit_path=rows.paths[0])
    if rows.officer_ids:
        chosen &= Q(officer_id__in=rows.officer_ids)
    when = _months_q(spans, first_seen=MONTH not in parts)
    return OfficerSeen.objects.filter(chosen & when, kind__in=kinds)


def _officer_months(rows: Rows, spans, group):
    """The OfficerMonthCount rows of this reading, or None when it is not per officer over whole
    months (a table of members, by subtree; an officer's own months, by officer), or groups by
    more than officer, month and period (columns those rows keep)."""
    parts = group if isinstance(group, tuple) else (group,)
    if "officer_id" not in parts and not rows.officer_ids:
        return None
    if not whole_months(spans) or any(
        part not in ("officer_id", MONTH) and not getattr(part, "by_day", False)
        for part in parts
        if part is not None
    ):
        return None
    return OfficerMonthCount.objects.filter(rows.q() & _months_q(spans))


def _tally(metric: Metric, rows: Rows, spans, group):
    """The SubtreeTally rows whose histogram, in each group, holds the group's values, or None.

    Calendar years not split by month read the yearly sums (SubtreeYearTally): a twelfth of
    the rows."""
    chosen = _subtrees(rows, group)
    if chosen is None:
        return None
    parts = group if isinstance(group, tuple) else (group,)
    model = SubtreeYearTally if MONTH not in parts and _years(spans) else SubtreeTally
    return model.objects.filter(chosen & _months_q(spans), kind=metric.source)


def _years(spans) -> bool:
    """Whether every span is whole calendar years."""
    return all(
        (first.month, first.day) == (1, 1) and (last.month, last.day) == (12, 31)
        for first, last in spans
    )


def _tallied_medians(queryset, group) -> list[tuple[object, Number]]:
    """Each group's exact median (the mean of the two middle values when their number is even,
    as percentile_cont gives) from its summed histogram.

    The database sums each group's histogram and keeps, by running totals in order of value,
    only the one or two values that hold the middle positions: a national year's thousands of
    distinct values never leave it."""
    summed = queryset.annotate(**group).values(*group, "value").annotate(times=Sum("count"))
    inner, params = summed.order_by().query.sql_with_params()
    names = ", ".join(connection.ops.quote_name(name) for name in group)
    within = f"PARTITION BY {names} " if names else ""
    columns = f"{names}, " if names else ""
    # A value covers positions upto - times .. upto - 1 of its group (0-based, in order); the
    # middle positions are floor((total - 1) / 2) and floor(total / 2).
    sql = (
        f"SELECT {columns}value, times, upto, total FROM ("
        f"SELECT h.*, SUM(times) OVER ({within}ORDER BY value) AS upto,"
        f" SUM(times) OVER ({within.strip()}) AS total FROM ({inner}) AS h) AS ranked"
        " WHERE times > 0 AND 2 * (upto - times) <= total AND 2 * upto >= total"
    )
    middles: dict[object, list[tuple[int, int, int, int]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            key = None if not group else (row[0] if len(group) == 1 else tuple(row[: len(group)]))
            value, times, upto, total = (int(cell) for cell in row[len(group) :])
            middles[key].append((value, times, upto, total))
    found: list[tuple[object, Number]] = []
    for key, rows in middles.items():
        total = rows[0][3]
        wanted = {(total - 1) // 2, total // 2}
        middle = [
            value
            for value, times, upto, _total in rows
            for position in wanted
            if upto - times <= position < upto
        ]
        found.append((key, sum(middle) / len(middle)))
    return found


def _middle(histogram: list[tuple[int, int]]) -> float:
    """The median of a histogram of (value, times) in order of value (what the query above
    picks in the database; kept for the tests' reference)."""
    total = sum(times for _value, times in histogram)
    wanted = {(total - 1) // 2, total // 2}
    found: list[int] = []
    seen = 0
    for value, times in histogram:
        found += [value for position in wanted if seen <= position < seen + times]
        seen += times
    return sum(found) / len(found)


def monthly_level(rows: Rows, spans: Sequence[tuple[datetime.date, datetime.date]], group) -> bool:
    """Whether a reading may use the monthly rows: whole months, not per officer."""
    parts = group if isinstance(group, tuple) else (group,)
    if rows.officer_ids or "officer_id" in parts:
        return False
    return whole_months(spans)


def whole_months(spans: Sequence[tuple[datetime.date, datetime.date]]) -> bool:
    """Whether every span is a run of whole calendar months."""
    return all(
        first.day == 1 and (last + datetime.timedelta(days=1)).day == 1 and first <= last
        for first, last in spans
    )


# A group part: the calendar month of the row's day.
MONTH = "month"


def _group_fields(group, *, monthly: bool) -> dict[str, object]:
    """The annotations a group reads: none, one, or one per part of a tuple."""
    if group is None:
        return {}
    parts = group if isinstance(group, tuple) else (group,)
    return {f"group_key{index}": _part(part, monthly) for index, part in enumerate(parts)}


def _part(part, monthly: bool):
    if part == MONTH:
        # A monthly row's day is its month's first day already: no truncation on every row.
        return F("day") if monthly else TruncMonth("day")
    return F(part) if isinstance(part, str) else part


def _key(row: dict, group: dict[str, object]) -> object:
    if not group:
        return None
    if len(group) == 1:
        return row[next(iter(group))]
    return tuple(row[name] for name in group)


def _sums(queryset, metric_field: str, sums: list[Metric], group, by_group) -> None:
    """Each group's sums of these metrics from `queryset`'s rows (MonthlyCount or DailyCount,
    whose `metric` names the source, or SubtreeCount, whose `kind` does)."""
    queryset = queryset.annotate(**group)
    # Grouped by dimension only when a metric counts some dimensions of its source (overstays
    # among findings); otherwise the database adds each source's dimensions up (a league's
    # sparklines of activities: one row per office-month, not one per kind of activity too).
    by_dimension = any(m.dimensions for m in sums)
    fields = [*group, metric_field, "dimension" if by_dimension else Value("")]
    width = len(group)
    # Each group's sums start at zero (a group with any row has every sum) and each row adds
    # its total to the metrics it counts for, found once per (source, dimension): a national
    # league's sparklines read thousands of rows, and a row used to be compared with every
    # metric and every other row of its group.
    zeros = dict.fromkeys(metric.key for metric in sums)
    takers: dict[tuple[str, str], tuple[str, ...]] = {}
    # Tuples, not a dict per row.
    for *parts, source, dimension, total in (
        queryset.values_list(*fields).annotate(total=Sum("value")).order_by()
    ):
        key = None if not width else parts[0] if width == 1 else tuple(parts)
        cells = by_group.get(key)
        if cells is None:
            cells = by_group[key] = {name: 0 for name in zeros}
        found = takers.get((source, dimension))
        if found is None:
            found = takers[(source, dimension)] = tuple(
                metric.key
                for metric in sums
                if metric.source == source
                and (not metric.dimensions or dimension in metric.dimensions)
            )
        for name in found:
            cells[name] += total


def _grouped(queryset, group, aggregate) -> list[tuple[object, Number]]:
    if not group:
        return [(None, queryset.aggregate(value=aggregate)["value"])]
    return [
        (_key(row, group), row["value"])
        for row in queryset.annotate(**group).values(*group).annotate(value=aggregate).order_by()
    ]


def _medians(queryset, group) -> list[tuple[object, Number]]:
    if connection.vendor == "postgresql":
        return _grouped(queryset, group, Median("value"))
    # SQLite (one office) has no percentile: the values of one scope fit in memory.
    values: dict[object, list[int]] = defaultdict(list)
    for row in queryset.annotate(**group).values(*group, "value"):
        values[_key(row, group)].append(row["value"])
    return [(key, float(statistics.median(found))) for key, found in values.items()]


def nothing(wanted: Sequence[Metric]) -> dict[str, Number]:
    """What `measure` gives a group without any row: zeros for counts, blanks for medians and
    ratios, without building its queries."""
    values: dict[str, Number] = {}
    _deriver(_needed(wanted))(values)
    return values


def _deriver(needed: list[Metric]) -> Callable[[dict[str, Number]], None]:
    """What completes each group's values (zeros, totals, hours, ratios), planned once per
    reading: a league's sparklines are a thousand groups or more."""
    sums = [metric.key for metric in needed if metric.kind == "sum"]
    middle = [
        (metric.kind, metric.key, metric.parts)
        for metric in needed
        if metric.kind in ("total", "median", "distinct")
    ]
    ratios = [
        (metric.key, metric.numerator, metric.denominator)
        for metric in needed
        if metric.kind == "ratio"
    ]

    def derive(values: dict[str, Number]) -> None:
        for key in sums:
            values.setdefault(key, 0)
        for kind, key, parts in middle:
            if kind == "total":
                values[key] = sum(values.get(part) or 0 for part in parts)
            elif kind == "median":
                minutes = values.get(key)
                values[key] = None if minutes is None else round(minutes / 60, 1)
            else:
                values[key] = values.get(key) or 0
        for key, numerator_key, denominator_key in ratios:
            numerator = values.get(numerator_key) or 0
            denominator = values.get(denominator_key) or 0
            values[key] = round(100 * numerator / denominator, 1) if denominator else None

    return derive


def period_group(periods: dict[str, tuple[datetime.date, datetime.date]]) -> Case:
    """Group rows by which of several non-overlapping day ranges they fall in."""
    grouping = Case(
        *[
            When(day__gte=first, day__lte=last, then=Value(name))
            for name, (first, last) in periods.items()
        ],
        default=Value(""),
        output_field=CharField(),
    )
    grouping.by_day = True  # type: ignore[attr-defined]  # reads only the row's day
    return grouping


def _component(path: str, depth: int) -> Func:
    """The id of the unit at `depth` in the path `path` names, as text ('' above it)."""
    return Func(
        F(path), Value("/"), Value(depth + 2), function="SPLIT_PART", output_field=CharField()
    )


def ancestor_group(depth: int, path: str = "unit_path") -> Expression:
    """Group rows by their unit's ancestor at `depth` (PostgreSQL), read from the row's path.

    Paths are ids from the root ("/1/4/9/": at depth 1, 4), so the ancestor's id is one
    component of `unit_path`: no join to the units and no comparison per unit on every row,
    so a set's (kind, day, unit_path, value) index holds all a distinct count reads. A row of
    a unit above that depth groups under None. `path` names the path read, for rows that reach
    it by a join (a membership's unit's path).
    """
    grouping = Cast(NullIf(_component(path, depth), Value("")), IntegerField())

    def subtrees(paths: Sequence[str]) -> Q | None:
        # Each group is the whole subtree of one unit at `depth` when every path read is at or
        # above that depth (below it, a group is only part of its unit's subtree).
        if any(path.count("/") - 2 > depth for path in paths):
            return None
        return _paths_q(paths) & Q(depth=depth)

    grouping.subtrees = subtrees  # type: ignore[attr-defined]
    return grouping


def child_group(children: Sequence[OrgUnit]) -> Expression:
    """Group rows by which child unit's subtree they fall in (exact for distinct counts).

    Read only the children's subtrees (`Rows(paths=<the children's paths>)`). On PostgreSQL
    the child is the rows' ancestor at the children's depth (`ancestor_group`), so the parent's
    whole subtree may be read instead (rows outside the children group elsewhere); the CASE of
    one prefix match per child, kept for SQLite, costs a comparison per child on every row.
    Children of several depths (the offices of a league: most under the directorate, a few
    under regional offices) on PostgreSQL: for each depth, whether the row's ancestor there is
    one of the children of that depth (one component of the path, looked up in a hashed list).
    The children must be disjoint subtrees (no child inside another), as children are.
    """
    depths = {child.depth for child in children}
    grouping: Expression
    if connection.vendor == "postgresql" and len(depths) == 1:
        return ancestor_group(depths.pop())
    if connection.vendor == "postgresql":
        by_depth: dict[int, list[str]] = defaultdict(list)
        for child in children:
            by_depth[child.depth].append(str(child.pk))
        grouping = Case(
            *[
                When(
                    In(
                        _component("unit_path", depth),
                        [str(c.pk) for c in children if c.depth == depth],
                    ),
                    then=Cast(_component("unit_path", depth), IntegerField()),
                )
                for depth in sorted(depths)
            ],
            default=Value(None),
            output_field=IntegerField(),
        )
    else:
        grouping = Case(
            *[When(unit_path__startswith=child.path, then=Value(child.pk)) for child in children],
            default=Value(None),
            # Typed even with no child to match (a leader's league: no office in the scope).
            output_field=IntegerField(),
        )
    wanted = [child.path for child in children]

    def subtrees(paths: Sequence[str]) -> Q | None:
        # Each child is a group when its whole subtree is read.
        if not all(any(child.startswith(path) for path in paths) for child in wanted):
            return None
        return Q(unit_path__in=wanted)

    grouping.subtrees = subtrees  # type: ignore[attr-defined]
    return grouping


def _paths_q(paths: Iterable[str]) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(unit_path__startswith=path)
    return query


def breakdowns(
    wanted: Sequence[Metric], *, rows: Rows, start: datetime.date, end: datetime.date
) -> dict[str, list[tuple[str, int]]]:
    """Additive metrics' totals per dimension (violation type, nationality...), largest first,
    all in one query: a page's findings by type and checks by nationality are one reading."""
    sources = {metric.source for metric in wanted}
    days = Q(day__gte=start, day__lte=end)
    monthly = monthly_level(rows, [(start, end)], None)
    chosen = _subtrees(rows, None) if monthly else None
    queryset: QuerySet
    if chosen is not None:
        # One whole subtree over whole months: its own sums (SubtreeCount).
        queryset = SubtreeCount.objects.filter(chosen & days, kind__in=sources).exclude(value=0)
        metric_field = "kind"
    else:
        model = MonthlyCount if monthly else DailyCount
        queryset = model.objects.filter(rows.q() & days, metric__in=sources)
        metric_field = "metric"
    found = (
        queryset.values_list(metric_field, "dimension")
        .annotate(total=Sum("value"))
        .order_by(metric_field, "-total", "dimension")
    )
    by_source: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for source, dimension, total in found:
        by_source[source].append((dimension, total))
    return {
        metric.key: [
            (dimension, total)
            for dimension, total in by_source.get(metric.source, [])
            if not metric.dimensions or dimension in metric.dimensions
        ]
        for metric in wanted
    }
