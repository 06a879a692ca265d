"""Fill the rollups from the reports: per officer-day, for a few reports or from scratch.

One function computes the rows of any set of filed reports with a fixed number of grouped
queries (`rows_for`); the subscribers call `refresh_reports` with the reports an event touched,
and `recompute_all` runs the same code over every report. Missing reports are not a write but
the passing of a deadline, so `refresh_missing` takes them from supervision's own rule
(`supervision.queries.missing_reports`) for a set of units and days.

The monthly level (`MonthlyCount`, `MonthlyValue`: one unit's month) is derived from the daily
rows: every function here that replaces officer-days then rebuilds the unit-months those days fall
in (`refresh_months`), from the daily rows as they now are, so a month always equals its days.

Closed (intelligence) activities, and their checks and findings, are never counted: a count
per officer and day would reveal them to readers who may not see their details.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from silahap.accounts.models import OrgUnit
from silahap.insights import metrics as catalogue
from silahap.insights import supervision_map as peta
from silahap.insights.models import (
    NEVER,
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
from silahap.reports.models import (
    Activity,
    Check,
    Classification,
    DailyReport,
    Evidence,
    Finding,
    ReportDecision,
)
from silahap.supervision import queries as supervision_queries
from silahap.supervision.models import FollowUp, FollowUpStep

MISSING = "reports_missing"
Key = tuple[int, str, str]  # report id, metric, dimension


def filed_reports() -> QuerySet:
    """Reports submitted at least once: what the metrics count (a draft is not a report yet)."""
    return DailyReport.objects.filter(first_submitted_at__isnull=False)


def _report_rows(reports: QuerySet, counts: dict[Key, int], values: set) -> None:
    decisions = {
        row["report_id"]: row
        for row in ReportDecision.objects.filter(report__in=reports)
        .values("report_id")
        .annotate(first=Min("decided_at"), returned=Count("pk", filter=Q(outcome="returned")))
        .order_by()
    }
    for report in reports.values("pk", "is_late", "first_submitted_at"):
        pk = report["pk"]
        counts[(pk, "reports_filed", "")] = 1
        counts[(pk, "reports_late" if report["is_late"] else "reports_on_time", "")] = 1
        decision = decisions.get(pk)
        if decision is not None:
            counts[(pk, "reports_decided", "")] = 1
            if decision["returned"]:
                counts[(pk, "reports_returned", "")] = 1
            minutes = (decision["first"] - report["first_submitted_at"]).total_seconds() // 60
            values.add((pk, "review_minutes", max(int(minutes), 0)))


def _activity_rows(reports: QuerySet, counts: dict[Key, int], values: set) -> None:
    activities = Activity.objects.filter(report__in=reports).exclude(
        classification=Classification.CLOSED
    )
    for row in activities.values("report_id", "kind").annotate(n=Count("pk")).order_by():
        counts[(row["report_id"], "activities", row["kind"])] = row["n"]
    evidenced = activities.filter(location_source="gps").filter(
        Exists(Evidence.objects.filter(activity=OuterRef("pk"), content_type__startswith="image/"))
    )
    for evidenced_row in evidenced.values("report_id").annotate(n=Count("pk")).order_by():
        counts[(evidenced_row["report_id"], "activities_evidenced", "")] = evidenced_row["n"]
    places = activities.filter(place__isnull=False).values_list("report_id", "place_id")
    for report_id, place_id in places.distinct():
        values.add((report_id, "place", place_id))


def _check_rows(reports: QuerySet, counts: dict[Key, int], values: set) -> None:
    checks = Check.objects.filter(activity__report__in=reports).exclude(
        activity__classification=Classification.CLOSED
    )
    grouped = checks.values("activity__report_id", "result").annotate(n=Count("pk")).order_by()
    for row in grouped:
        counts[(row["activity__report_id"], "checks", row["result"])] = row["n"]
    by_country = (
        checks.values("activity__report_id", "person__nationality")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for country in by_country:
        key = (
            country["activity__report_id"],
            "checks_nationality",
            country["person__nationality"],
        )
        counts[key] = country["n"]
    for report_id, person_id in checks.values_list("activity__report_id", "person_id").distinct():
        values.add((report_id, "person", person_id))


def _finding_rows(reports: QuerySet, counts: dict[Key, int], values: set) -> None:
    findings = Finding.objects.filter(activity__report__in=reports).exclude(
        activity__classification=Classification.CLOSED
    )
    grouped = (
        findings.values("activity__report_id", "violation_type__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        counts[(row["activity__report_id"], "findings", row["violation_type__code"])] = row["n"]
    followups = FollowUp.objects.filter(finding__in=findings)
    report_of = "finding__activity__report_id"
    opened = followups.values(report_of).annotate(
        n=Count("pk"), closed=Count("pk", filter=Q(status=FollowUp.Status.CLOSED))
    )
    for row in opened.order_by():
        counts[(row[report_of], "followups_opened", "")] = row["n"]
        if row["closed"]:
            counts[(row[report_of], "followups_closed", "")] = row["closed"]
    steps = FollowUpStep.objects.filter(followup__in=followups)
    step_report = "followup__finding__activity__report_id"
    tak = steps.filter(
        kind=FollowUpStep.Kind.ADMINISTRATIVE_ACTION, status=FollowUpStep.Status.DONE
    )
    for row in tak.values(step_report, "action_kind").annotate(n=Count("pk")).order_by():
        counts[(row[step_report], "tak", row["action_kind"])] = row["n"]
    pro_justitia = steps.filter(kind=FollowUpStep.Kind.CRIMINAL_INVESTIGATION).exclude(
        status=FollowUpStep.Status.CANCELLED
    )
    for row in pro_justitia.values(step_report).annotate(n=Count("followup", distinct=True)):
        counts[(row[step_report], "pro_justitia", "")] = row["n"]


def _map_rows(reports: QuerySet, counts: dict[Key, int], values: set) -> None:
    """The supervision map's counts of the open activities with a point
    (`supervision_map.point_counts`)."""
    points = (
        Activity.objects.filter(report__in=reports, latitude__isnull=False)
        .filter(longitude__isnull=False)
        .exclude(classification=Classification.CLOSED)
    )
    found = Finding.objects.filter(activity__in=points)
    checked = Check.objects.filter(activity__in=points)
    for key, number in peta.point_counts(points, found, checked).items():
        counts[key] = counts.get(key, 0) + number


# One function per part of the day; a new metric needing new counts adds its extractor here.
EXTRACTORS = [_report_rows, _activity_rows, _check_rows, _finding_rows, _map_rows]


def rows_for(reports: QuerySet) -> tuple[list[DailyCount], list[DailyValue]]:
    """The rollup rows of `reports` (filed ones only), in a fixed number of queries."""
    reports = reports.filter(first_submitted_at__isnull=False)
    counts: dict[Key, int] = {}
    values: set[tuple[int, str, int]] = set()
    for extract in EXTRACTORS:
        extract(reports, counts, values)
    owners = {
        row[0]: row[1:]
        for row in reports.values_list("pk", "officer_id", "report_date", "unit_id", "unit__path")
    }
    count_rows = [
        DailyCount(
            officer_id=owners[pk][0],
            day=owners[pk][1],
            unit_id=owners[pk][2],
            unit_path=owners[pk][3],
            metric=metric,
            dimension=dimension or "",
            value=value,
        )
        for (pk, metric, dimension), value in counts.items()
        if value
    ]
    value_rows = [
        DailyValue(
            officer_id=owners[pk][0],
            day=owners[pk][1],
            unit_id=owners[pk][2],
            unit_path=owners[pk][3],
            kind=kind,
            value=value,
        )
        for pk, kind, value in values
    ]
    return count_rows, value_rows


def _pairs_q(pairs: Iterable[tuple[int, datetime.date]]) -> Q:
    by_day: dict[datetime.date, set[int]] = defaultdict(set)
    for officer_id, day in pairs:
        by_day[day].add(officer_id)
    query = Q(pk__in=[])
    for day, officers in by_day.items():
        query |= Q(day=day, officer_id__in=officers)
    return query


@transaction.atomic
def refresh_reports(report_ids: Iterable[int]) -> int:
    """Rebuild the officer-days of these reports from the reports as they are now."""
    ids = sorted(set(report_ids))
    if not ids:
        return 0
    reports = DailyReport.objects.filter(pk__in=ids)
    found = list(reports.values_list("officer_id", "report_date", "first_submitted_at"))
    if not found:
        return 0
    pairs = [(officer_id, day) for officer_id, day, _first in found]
    filed = [(officer_id, day) for officer_id, day, first in found if first is not None]
    where = _pairs_q(pairs)
    # The officer-days' values as they were: their months, and what the officers' runs lose.
    held = list(
        DailyValue.objects.filter(where).values_list(
            "officer_id", "kind", "value", "unit_path", "day", "unit_id"
        )
    )
    months = _months_of(DailyCount.objects.filter(where)) | {
        (row[5], _month(row[4])) for row in held
    }
    if not filed and not months:
        # Drafts never counted (a draft has no rows, and these have none, not even a missing
        # one): nothing to delete, nothing to write. The most frequent case by far, each
        # activity, photo and check an officer adds to today's draft, in three queries.
        return len(pairs)
    DailyCount.objects.filter(where).exclude(metric=MISSING).delete()
    if filed:
        # A filed report is never missing, whatever the last refresh of missing reports saw.
        DailyCount.objects.filter(_pairs_q(filed), metric=MISSING).delete()
    DailyValue.objects.filter(where).delete()
    # Only filed reports are counted: with none, there is nothing to ask the extractors.
    count_rows, value_rows = rows_for(reports) if filed else ([], [])
    DailyCount.objects.bulk_create(count_rows)
    DailyValue.objects.bulk_create(value_rows)
    written: list[DailyCount | DailyValue] = [*count_rows, *value_rows]
    months |= {(row.unit_id, _month(row.day)) for row in written}
    before = {row[:5] for row in held if row[1] in MONTHLY_SETS}
    after = {
        (row.officer_id, row.kind, row.value, row.unit_path, row.day)
        for row in value_rows
        if row.kind in MONTHLY_SETS
    }
    _update_officer_seen(removed=before - after, added=after - before)
    refresh_months(months)
    return len(pairs)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _months_of(rows: QuerySet) -> set[tuple[int, datetime.date]]:
    return {
        (unit_id, _month(day)) for unit_id, day in rows.values_list("unit_id", "day").distinct()
    }


# Kinds of DailyValue kept as monthly sets (persons and places seen: distinct counts), and as
# monthly histograms in MonthlyCount (review minutes: medians need how often each value occurred).
MONTHLY_SETS = ("person", "place")
MONTHLY_TALLIES = ("review_minutes",)
# The metrics of MonthlyCount whose sums are also kept per officer (OfficerMonthCount) and per
# subtree (SubtreeCount): the sources of the catalogue's sum metrics.
SUBTREE_SUMS = tuple(sorted({m.source for m in catalogue.METRICS if m.kind == "sum"}))
# The unit-months' rows summed per subtree (SubtreeCount): the catalogue's sums as they are, and
# the map's fine cells counted by wide cell under their WIDE kinds (`_subtree_key`).
SUBTREE_SOURCES = SUBTREE_SUMS + tuple(peta.WIDE)
# With the month, names a unit-month's lock among the database's advisory locks.
_MONTH_LOCK = 0x51170000


def _lock_months(months: list[tuple[int, datetime.date]]) -> None:
    """Two workers rebuilding the same unit-month take turns (PostgreSQL; SQLite has one writer).

    Taken in sorted order, so two workers never wait on each other in a circle."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for unit_id, month in months:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [unit_id, _MONTH_LOCK + month.year * 12 + month.month],
            )


def _write_months(where: Q) -> tuple[int, int, int]:
    """Write the monthly rows of the daily rows matching `where`, summed (per unit, and per
    officer within the unit: OfficerMonthCount) or collected as sets.

    Streamed in batches: a rebuild of every month holds one batch in memory, not the whole level.
    """
    sets = (
        DailyValue.objects.filter(where, kind__in=MONTHLY_SETS)
        .annotate(month=TruncMonth("day"))
        .values_list("unit_id", "unit_path", "month", "kind", "value")
        .distinct()
        .order_by()
    )
    counts = _write_sums(MonthlyCount, DailyCount.objects.filter(where))
    officer_counts = _write_sums(
        OfficerMonthCount, DailyCount.objects.filter(where, metric__in=SUBTREE_SUMS), "officer_id"
    )
    values = write_batches(
        MonthlyValue,
        (
            MonthlyValue(unit_id=unit_id, unit_path=path, day=month, kind=kind, value=value)
            for unit_id, path, month, kind, value in sets.iterator(chunk_size=BATCH)
        ),
    )
    tallies = (
        DailyValue.objects.filter(where, kind__in=MONTHLY_TALLIES)
        .annotate(month=TruncMonth("day"))
        .values_list("unit_id", "unit_path", "month", "kind", "value")
        .annotate(times=Count("pk"))
        .order_by()
    )
    counts += write_batches(
        MonthlyCount,
        (
            MonthlyCount(
                unit_id=unit_id,
                unit_path=path,
                day=month,
                metric=kind,
                dimension=str(value),
                value=times,
            )
            for unit_id, path, month, kind, value, times in tallies.iterator(chunk_size=BATCH)
        ),
    )
    return counts, values, officer_counts


def _write_sums(model, daily: QuerySet, *keys: str) -> int:
    """Write `model`'s monthly sums of these daily rows, per unit (and per `keys` too: the
    officer), leaving out sums of 0."""
    fields = (*keys, "unit_id", "unit_path", "day", "metric", "dimension")
    sums = (
        daily.annotate(month=TruncMonth("day"))
        .values_list(*keys, "unit_id", "unit_path", "month", "metric", "dimension")
        .annotate(total=Sum("value"))
        .order_by()
    )
    return write_batches(
        model,
        (
            model(**dict(zip(fields, row, strict=False)), value=row[-1])
            for row in sums.iterator(chunk_size=BATCH)
            if row[-1]
        ),
    )


def write_batches(model, rows: Iterable) -> int:
    written = 0
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return written + len(batch)


@transaction.atomic
def refresh_months(months: Iterable[tuple[int, datetime.date]]) -> int:
    """Rebuild these (unit, first day of month) pairs from the daily rows as they are now."""
    months = sorted({(unit_id, _month(day)) for unit_id, day in months})
    if not months:
        return 0
    _lock_months(months)
    by_month: dict[datetime.date, set[int]] = defaultdict(set)
    for unit_id, month in months:
        by_month[month].add(unit_id)
    monthly = Q(pk__in=[])
    daily = Q(pk__in=[])
    for month, units in by_month.items():
        monthly |= Q(day=month, unit_id__in=units)
        daily |= Q(day__gte=month, day__lt=_next_month(month), unit_id__in=units)
    members = MonthlyValue.objects.filter(monthly)
    kept = MonthlyCount.objects.filter(monthly, metric__in=MONTHLY_TALLIES + SUBTREE_SOURCES)
    before = set(members.values_list("kind", "value", "unit_path", "day"))
    tallied, summed = _unit_months(kept)
    MonthlyCount.objects.filter(monthly).delete()
    OfficerMonthCount.objects.filter(monthly).delete()
    members.delete()
    _write_months(daily)
    after = set(members.values_list("kind", "value", "unit_path", "day"))
    _update_seen(removed=before - after, added=after - before)
    tallies, sums = _unit_months(kept)
    tallies.subtract(tallied)
    _add_tallies(tallies)
    sums.subtract(summed)
    _increment(SubtreeCount, "dimension", "value", tally_cells(sums.items()))
    return len(months)


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def rebuild_all_months() -> dict[str, int]:
    """Every unit-month from the daily rows (after recompute_all, or rows loaded in bulk)."""
    with transaction.atomic():
        MonthlyCount.objects.all().delete()
        OfficerMonthCount.objects.all().delete()
        MonthlyValue.objects.all().delete()
        counts, values, officer_counts = _write_months(Q())
        seen = rebuild_seen()
        tallies = rebuild_tallies()
        subtree_counts = rebuild_subtree_counts()
        officer_seen = rebuild_officer_seen()
    return {
        "monthly_counts": counts,
        "officer_month_counts": officer_counts,
        "monthly_values": values,
        "subtree_seen": seen,
        "subtree_tallies": tallies,
        "subtree_counts": subtree_counts,
        "officer_seen": officer_seen,
    }


# The subtrees' runs of months (SubtreeSeen): what distinct counts over whole months read.
Member = tuple[str, int, str, datetime.date]  # kind, value, unit path, month


@functools.lru_cache(maxsize=4096)
def _subtrees(path: str) -> tuple[tuple[int, str, int], ...]:
    """(unit id, path, depth) of the unit at `path` and of every unit above it."""
    ids = path.strip("/").split("/")
    return tuple(
        (int(ids[depth]), "/" + "/".join(ids[: depth + 1]) + "/", depth)
        for depth in range(len(ids))
    )


def seen_cells(members: Iterable[tuple]) -> Counter:
    """The SubtreeSeen values of these set members, keyed (unit id, path, depth, kind, month,
    previous month). `members` must come grouped by (kind, value), with every month of each.

    Members may also lead with an owner, (officer id, kind, value, path, month) grouped by
    (officer, kind, value): the OfficerSeen values, keyed (officer id, unit id, ...)."""
    cells: Counter = Counter()
    for identity, rows in itertools.groupby(members, key=lambda row: row[:-2]):
        owner, kind = identity[:-2], identity[-2]
        months: dict[tuple[int, str, int], set[datetime.date]] = defaultdict(set)
        for row in rows:
            for subtree in _subtrees(row[-2]):
                months[subtree].add(row[-1])
        for subtree, seen in months.items():
            previous = NEVER
            for month in sorted(seen):
                cells[(*owner, *subtree, kind, month, previous)] += 1
                previous = month
    return cells


def month_totals(cells: Counter) -> Counter:
    """SubtreeSeen values (`seen_cells`) summed over their previous months: the SubtreeMonthSeen
    values, keyed (unit id, path, depth, kind, month)."""
    totals: Counter = Counter()
    for (unit_id, path, depth, kind, month, _previous), value in cells.items():
        totals[(unit_id, path, depth, kind, month)] += value
    return totals


def month_seen_rows(model, totals: Mapping[tuple, int]) -> Iterable:
    """Rows of SubtreeMonthSeen (`model`, a migration's too) for these totals; none for a 0."""
    return subtree_rows(model, totals, None, "value")


def rebuild_seen() -> int:
    """Recount every subtree's runs from the monthly sets (streamed, grouped by value), and
    their totals per month."""
    SubtreeSeen.objects.all().delete()
    SubtreeMonthSeen.objects.all().delete()
    members = (
        MonthlyValue.objects.order_by("kind", "value")
        .values_list("kind", "value", "unit_path", "day")
        .iterator(chunk_size=BATCH)
    )
    cells = seen_cells(members)
    write_batches(SubtreeMonthSeen, month_seen_rows(SubtreeMonthSeen, month_totals(cells)))
    return write_batches(
        SubtreeSeen,
        (
            SubtreeSeen(
                unit_id=unit_id,
                unit_path=path,
                depth=depth,
                kind=kind,
                day=month,
                previous=previous,
                value=value,
            )
            for (unit_id, path, depth, kind, month, previous), value in cells.items()
        ),
    )


# With a value, names its lock among the database's advisory locks.
_SEEN_LOCK = 0x51170001


def _update_seen(*, removed: set[Member], added: set[Member]) -> None:
    """Apply to SubtreeSeen the difference these monthly set members make.

    Only values whose months changed are read again (usually none: a person already seen in that
    unit's month). Their runs before the change are their members now, less what was added, plus
    what was removed. Each changed value is locked first (PostgreSQL), so two workers changing
    the same person's months in different units take turns and each reads the other's commit;
    every count is then changed by an increment, never rewritten, so other values' changes to
    the same row add up."""
    changed = sorted({(kind, value) for kind, value, _path, _month in removed | added})
    if not changed:
        return
    _lock_each(_SEEN_LOCK, [value for _kind, value in changed])
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, value in changed:
        by_kind[kind].append(value)
    wanted = Q(pk__in=[])
    for kind, values in by_kind.items():
        wanted |= Q(kind=kind, value__in=values)
    now = set(MonthlyValue.objects.filter(wanted).values_list("kind", "value", "unit_path", "day"))
    then = (now - added) | removed
    delta = seen_cells(sorted(now))
    delta.subtract(seen_cells(sorted(then)))
    _increment(SubtreeSeen, "previous", "value", delta)
    _increment(SubtreeMonthSeen, None, "value", month_totals(delta))


def _lock_each(space: int, keys: list[int]) -> None:
    """Take one transaction-long advisory lock per key in `space` (PostgreSQL; SQLite has one
    writer), in order, so two workers never wait on each other in a circle."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, (v %% 2147483647)::int)"
            " FROM (SELECT DISTINCT v FROM unnest(%s::bigint[]) AS v ORDER BY v) AS ordered",
            [space, keys],
        )


# Rows named in one UPDATE (each an AND of five or six columns, ORed together).
_ROWS_PER_UPDATE = 200


def _increment(
    model, last: str | None, total: str, delta: Counter, owner: tuple[str, ...] = ()
) -> None:
    """Add each non-zero step of `delta` to its row of `model` (keyed unit id, path, depth,
    kind, month, `last` unless None, after the `owner` fields' values when given), creating the
    rows at 0 first. Increments, never rewrites: concurrent changes to the same row add up, and
    a row is never deleted under another writer."""
    steps = {key: step for key, step in delta.items() if step}
    if not steps:
        return
    width = len(owner)

    def fields(key: tuple) -> dict:
        unit_id, path, depth, kind, month, *found = key[width:]
        named = dict(zip(owner, key[:width], strict=True))
        named.update(unit_id=unit_id, unit_path=path, depth=depth, kind=kind, day=month)
        if last is not None:
            named[last] = found[0]
        return named

    model.objects.bulk_create(
        [model(**fields(key), **{total: 0}) for key in steps], ignore_conflicts=True
    )
    by_step: dict[int, list[Q]] = defaultdict(list)
    for key, step in steps.items():
        named = fields(key)
        del named["unit_path"], named["depth"]
        by_step[step].append(Q(**named))
    for step, rows in by_step.items():
        # SQLite ends an expression at a depth of 1,000: a long OR is sent in parts.
        for start in range(0, len(rows), _ROWS_PER_UPDATE):
            either = functools.reduce(operator.or_, rows[start : start + _ROWS_PER_UPDATE])
            model.objects.filter(either).update(**{total: F(total) + step})


# The officers' runs (OfficerSeen): what a table of members' distinct counts reads.
Seen = tuple[int, str, int, str, datetime.date]  # officer id, kind, value, unit path, day
# With an officer's id, names its lock among the database's advisory locks.
_OFFICER_LOCK = 0x51170002


def officer_cells(rows: Iterable[Seen]) -> Counter:
    """The OfficerSeen values of these daily values, keyed (officer id, unit id, path, depth,
    kind, month, previous month): each officer's runs of months within every subtree."""
    members = sorted({(o, kind, value, path, _month(day)) for o, kind, value, path, day in rows})
    return seen_cells(members)


def _update_officer_seen(*, removed: set[Seen], added: set[Seen]) -> None:
    """Apply to OfficerSeen the difference these daily values (kinds of MONTHLY_SETS) make.

    As `_update_seen`, by officer: only the (officer, kind, value) whose days changed are read
    again (all of that officer's days of the value: another day of the same month keeps it in
    the month), their days before the change are those less what was added, plus what was
    removed; each officer is locked first (PostgreSQL), so two workers rebuilding days of the
    same officer take turns and the second reads the first's commit."""
    changed = sorted({row[:3] for row in removed | added})
    if not changed:
        return
    _lock_each(_OFFICER_LOCK, [officer_id for officer_id, _kind, _value in changed])
    by_owner: dict[tuple[int, str], list[int]] = defaultdict(list)
    for officer_id, kind, value in changed:
        by_owner[(officer_id, kind)].append(value)
    wanted = Q(pk__in=[])
    for (officer_id, kind), values in by_owner.items():
        wanted |= Q(officer_id=officer_id, kind=kind, value__in=values)
    now = set(
        DailyValue.objects.filter(wanted).values_list(
            "officer_id", "kind", "value", "unit_path", "day"
        )
    )
    then = (now - added) | removed
    delta = officer_cells(now)
    delta.subtract(officer_cells(then))
    _increment(OfficerSeen, "previous", "value", delta, owner=("officer_id",))


def rebuild_officer_seen() -> int:
    """Recount every officer's runs from the daily values (streamed, grouped by value)."""
    OfficerSeen.objects.all().delete()
    return write_batches(OfficerSeen, officer_seen_rows(OfficerSeen, DailyValue))


def officer_seen_rows(officer_seen, daily_value) -> Iterable:
    """The OfficerSeen rows of every daily value (the models given: a migration's too)."""
    daily = (
        daily_value.objects.filter(kind__in=MONTHLY_SETS)
        .order_by("officer_id", "kind", "value")
        .values_list("officer_id", "kind", "value", "unit_path", "day")
        .iterator(chunk_size=BATCH)
    )
    members = (
        (officer_id, kind, value, path, _month(day)) for officer_id, kind, value, path, day in daily
    )
    for (officer_id, unit_id, path, depth, kind, month, previous), value in seen_cells(
        members
    ).items():
        yield officer_seen(
            officer_id=officer_id,
            unit_id=unit_id,
            unit_path=path,
            depth=depth,
            kind=kind,
            day=month,
            previous=previous,
            value=value,
        )


def _histogram(rows: QuerySet) -> Counter:
    """Unit-month histograms (MonthlyCount rows of MONTHLY_TALLIES) keyed (kind, value, path,
    month)."""
    found: Counter = Counter()
    for kind, dimension, path, month, times in rows.values_list(
        "metric", "dimension", "unit_path", "day", "value"
    ):
        found[(kind, int(dimension), path, month)] += times
    return found


def _subtree_key(metric: str, dimension: str) -> tuple[str, str]:
    """The SubtreeCount kind and dimension a unit-month's row of SUBTREE_SOURCES adds to."""
    if metric in peta.WIDE:
        return peta.WIDE[metric], peta.widened(dimension)
    return metric, dimension


def _unit_months(rows: QuerySet) -> tuple[Counter, Counter]:
    """These MonthlyCount rows as the histograms of the tallied kinds (`_histogram`) and the
    sums of SUBTREE_SOURCES, both keyed (kind, value or dimension, path, month): one read."""
    tallies: Counter = Counter()
    sums: Counter = Counter()
    for metric, dimension, path, month, value in rows.values_list(
        "metric", "dimension", "unit_path", "day", "value"
    ):
        if metric in MONTHLY_TALLIES:
            tallies[(metric, int(dimension), path, month)] += value
        else:
            sums[(*_subtree_key(metric, dimension), path, month)] += value
    return tallies, sums


def tally_cells(histogram: Iterable[tuple[tuple[str, object, str, datetime.date], int]]) -> Counter:
    """The SubtreeTally counts of unit-month histograms, keyed (unit id, path, depth, kind,
    month, value): each unit's counts added to every unit at or above it. The same for the
    SubtreeCount sums of unit-months' counts (the value is then the dimension)."""
    cells: Counter = Counter()
    for (kind, value, path, month), times in histogram:
        for subtree in _subtrees(path):
            cells[(*subtree, kind, month, value)] += times
    return cells


def year_cells(cells: Counter) -> Counter:
    """SubtreeTally counts (`tally_cells`) summed by calendar year: the SubtreeYearTally counts,
    keyed by the year's first day instead of the month."""
    years: Counter = Counter()
    for (unit_id, path, depth, kind, month, value), times in cells.items():
        years[(unit_id, path, depth, kind, month.replace(month=1), value)] += times
    return years


def _add_tallies(difference: Counter) -> None:
    cells = tally_cells(difference.items())
    _increment(SubtreeTally, "value", "count", cells)
    _increment(SubtreeYearTally, "value", "count", year_cells(cells))


def rebuild_tallies() -> int:
    """Recount every subtree's histograms, by month and by year, from the unit-months'
    (MonthlyCount); returns how many monthly rows."""
    SubtreeTally.objects.all().delete()
    SubtreeYearTally.objects.all().delete()
    cells = tally_cells(_histogram(MonthlyCount.objects.filter(metric__in=MONTHLY_TALLIES)).items())
    write_batches(SubtreeYearTally, tally_rows(SubtreeYearTally, year_cells(cells)))
    return write_batches(SubtreeTally, tally_rows(SubtreeTally, cells))


def rebuild_subtree_counts() -> int:
    """Recount every subtree's monthly sums (SubtreeCount) from the unit-months'; returns how
    many rows."""
    SubtreeCount.objects.all().delete()
    return write_batches(SubtreeCount, count_rows(SubtreeCount, count_cells(MonthlyCount)))


def count_cells(monthly_count, sources: tuple[str, ...] = SUBTREE_SOURCES) -> Counter:
    """The SubtreeCount sums of every unit-month of `monthly_count` (the model, a migration's
    too), keyed (unit id, path, depth, kind, month, dimension): of all SUBTREE_SOURCES, or of
    some."""
    sums: Counter = Counter()
    for metric, dimension, path, month, value in (
        monthly_count.objects.filter(metric__in=sources)
        .values_list("metric", "dimension", "unit_path", "day", "value")
        .iterator(chunk_size=BATCH)
    ):
        sums[(*_subtree_key(metric, dimension), path, month)] += value
    return tally_cells(sums.items())


def subtree_rows(model, cells: Mapping[tuple, int], last: str | None, total: str) -> Iterable:
    """Rows of a subtree-month model (SubtreeTally, SubtreeYearTally, SubtreeCount,
    SubtreeMonthSeen; a migration's too) for these cells, keyed (unit id, path, depth, kind,
    month, `last` unless None), their numbers in `total`; none for a 0."""
    for (unit_id, path, depth, kind, day, *found), number in cells.items():
        if number:
            keyed = {last: found[0]} if last is not None else {}
            yield model(
                unit_id=unit_id,
                unit_path=path,
                depth=depth,
                kind=kind,
                day=day,
                **keyed,
                **{total: number},
            )


def count_rows(model, cells: Counter) -> Iterable:
    """Rows of SubtreeCount (`model`, a migration's too) for these sums."""
    return subtree_rows(model, cells, "dimension", "value")


def tally_rows(model, cells: Counter) -> Iterable:
    """Rows of SubtreeTally or SubtreeYearTally (`model`, a migration's too) for these counts."""
    return subtree_rows(model, cells, "value", "count")


def refresh_missing(
    *,
    units: list[OrgUnit],
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
    officer_ids: Iterable[int] | None = None,
) -> int:
    """Replace the missing-report rows of these units' officers and days with supervision's rule."""
    missing = supervision_queries.missing_reports(units=units, start=start, end=end, now=now)
    wanted = set(officer_ids) if officer_ids is not None else None
    stale = DailyCount.objects.filter(metric=MISSING, day__gte=start, day__lte=end)
    if wanted is not None:
        stale = stale.filter(officer_id__in=wanted)
        missing = [row for row in missing if row.officer.pk in wanted]
    else:
        path_q = Q(pk__in=[])
        for unit in units:
            path_q |= Q(unit_path__startswith=unit.path)
        stale = stale.filter(path_q)
    with transaction.atomic():
        months = _months_of(stale)
        stale.delete()
        DailyCount.objects.bulk_create(
            [
                DailyCount(
                    officer_id=row.officer.pk,
                    day=row.day,
                    unit_id=row.unit.pk,
                    unit_path=row.unit.path,
                    metric=MISSING,
                    value=1,
                )
                for row in missing
            ],
            ignore_conflicts=True,
        )
        refresh_months(months | {(row.unit.pk, _month(row.day)) for row in missing})
    return len(missing)


BATCH = 2000


def recompute_all(*, missing_since: datetime.date | None = None) -> dict[str, int]:
    """Rebuild every rollup from scratch (the seed, a repair, the property test's reference)."""
    with transaction.atomic():
        DailyCount.objects.all().delete()
        DailyValue.objects.all().delete()
        report_ids = list(filed_reports().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(report_ids), BATCH):
            chunk = DailyReport.objects.filter(pk__in=report_ids[start : start + BATCH])
            count_rows, value_rows = rows_for(chunk)
            DailyCount.objects.bulk_create(count_rows, batch_size=BATCH)
            DailyValue.objects.bulk_create(value_rows, batch_size=BATCH)
        rebuild_all_months()
    missing = 0 if missing_since is None else refresh_all_missing(since=missing_since)
    return {"reports": len(report_ids), "missing": missing}


def refresh_all_missing(*, since: datetime.date) -> int:
    """Missing reports of every office from `since` to its own today."""
    missing = 0
    for office in OrgUnit.objects.filter(kind=OrgUnit.Kind.IMMIGRATION_OFFICE):
        missing += refresh_missing(units=[office], start=since, end=office.local_today())
    return missing
