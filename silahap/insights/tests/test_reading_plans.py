"""Readings planned for speed give the numbers the plain readings give.

Random rollup rows spread over the whole tree (units at every depth, the directorate's own
rows, a region no longer active) over two years, then the monthly level built from them. Each
faster path is compared with the simplest reading of the same numbers:

- a children table read from the parent's one prefix (PostgreSQL) = each child read alone;
- a year's metrics, its previous year and the same year last year in one grouped reading =
  each period read alone (months, quarters and custom ranges too);
- sums added row by row into the metrics they count for = the daily rows summed by hand;
- several breakdowns in one query = each in its own query;
- a members table with its members as a subquery = the members read first;
- a sparkline written directly = the format_html it was written with before (random values too).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

import pytest
import time_machine
from django.db import connection
from django.db.models import Sum
from django.utils.html import format_html

from silahap.accounts import services as accounts
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.insights import (
    charts,
    evaluation,
    metrics,
    periods,
    queries,
    rollups,
    scope,
    sections,
)
from silahap.insights.models import DailyCount, DailyValue, MonthlyCount
from silahap.insights.queries import Rows

TODAY = datetime.date(2026, 12, 6)
# (source, dimensions) of the additive rows, and the kinds of the sets and medians.
COUNTS = {
    "reports_on_time": [""],
    "reports_late": [""],
    "reports_missing": [""],
    "activities": ["field", "joint"],
    "checks": ["compliant", "finding"],
    "checks_nationality": ["CN", "AU", "US"],
    "findings": ["overstay_lt_60", "overstay_gte_60", "no_permit"],
    "followups_opened": [""],
    "followups_closed": [""],
    "tak": ["deportation", "fine"],
    "pro_justitia": [""],
    "reports_returned": [""],
    "reports_decided": [""],
    "activities_evidenced": [""],
}
VALUES = {"person": 40, "place": 15, "review_minutes": 3000}


@pytest.fixture
def spread(people) -> dict[str, OrgUnit]:
    gone = accounts.orgunit_create(
        by=None,
        kind=OrgUnit.Kind.REGIONAL_OFFICE,
        code="KW-GONE",
        name="Kanwil Dibubarkan",
        parent=people.dg,
    )
    gone_office = accounts.orgunit_create(
        by=None,
        kind=OrgUnit.Kind.IMMIGRATION_OFFICE,
        code="KI-GONE",
        name="Kanim Dibubarkan",
        parent=gone,
        office_class="II",
        timezone_name="Asia/Jakarta",
        report_deadline=datetime.time(20, 0),
    )
    OrgUnit.objects.filter(pk=gone.pk).update(is_active=False)
    units = list(OrgUnit.objects.order_by("path"))
    officers = [people.officer_a, people.officer_a2, people.officer_b, people.leader_a]
    rng = random.Random(20261206)
    counts: dict[tuple, DailyCount] = {}
    values: dict[tuple, DailyValue] = {}
    taken: set[tuple[int, datetime.date]] = set()
    for _day in range(260):
        officer = rng.choice(officers)
        day = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 729))
        unit = rng.choice(units)
        base = {"officer": officer, "day": day, "unit": unit, "unit_path": unit.path}
        if (officer.pk, day) in taken:
            continue  # an officer-day belongs to one unit
        taken.add((officer.pk, day))
        for source in rng.sample(sorted(COUNTS), 6):
            dimension = rng.choice(COUNTS[source])
            counts[(officer.pk, day, source, dimension)] = DailyCount(
                **base, metric=source, dimension=dimension, value=rng.randint(1, 5)
            )
        for kind, top in VALUES.items():
            for _value in range(rng.randint(0, 3)):
                value = rng.randint(1, top)
                values[(officer.pk, day, kind, value)] = DailyValue(**base, kind=kind, value=value)
    DailyCount.objects.bulk_create(counts.values())
    DailyValue.objects.bulk_create(values.values())
    rollups.rebuild_all_months()
    return {"gone": gone, "gone_office": gone_office}


def _period(param: str) -> periods.Period:
    return periods.parse(param, today=TODAY)


PERIODS = ["2026", "2025", "2026-03", "2026-Q2", "2026-01-10..2026-02-20", "2025-06-01..2026-05-31"]


@pytest.mark.parametrize("param", PERIODS)
def test_a_children_table_read_at_once_is_each_child_read_alone(people, spread, param):
    period = _period(param)
    gone_rows = DailyCount.objects.filter(unit_path__startswith=spread["gone"].path)
    assert gone_rows.exists()  # rows of an inactive child, read with the parent's prefix
    assert DailyCount.objects.filter(unit=people.dg).exists()  # and the parent's own rows
    wanted = evaluation.summary_metrics()
    for parent in (people.dg, people.kanwil_banten, people.office_a):
        children = scope.children(parent)
        assert spread["gone"] not in children
        table = evaluation.children_table(children, period)
        expected = []
        for child in children:
            alone = queries.measure(
                wanted, rows=Rows(paths=(child.path,)), start=period.start, end=period.end
            )[None]
            expected.append([child.name, *[alone.get(m.key, 0) or 0 for m in wanted]])
        assert table.rows == expected
        assert table.links == [child.pk for child in children]
    nonzero = evaluation.children_table(scope.children(people.dg), period).rows
    assert any(any(cell for cell in row[1:]) for row in nonzero)
    if connection.vendor == "postgresql":
        assert evaluation._children_rows(scope.children(people.dg)) == Rows(paths=(people.dg.path,))


@pytest.mark.parametrize("param", PERIODS)
def test_the_metrics_of_three_periods_are_each_period_read_alone(people, spread, param):
    period = _period(param)
    compared = [period, period.previous(), period.last_year()]
    for rows in (
        Rows(paths=(people.dg.path,)),
        Rows(paths=(people.office_a.path,)),
        Rows(paths=(people.kanwil_banten.path, people.kanwil_bali.path)),
        Rows(paths=(people.dg.path,), officer_ids=(people.officer_a.pk,)),
    ):
        table = evaluation.metric_table(rows, period)
        alone = [
            queries.measure(metrics.SHOWN, rows=rows, start=p.start, end=p.end)[None]
            for p in compared
        ]
        expected = [
            [
                metric.label,
                alone[0].get(metric.key),
                alone[1].get(metric.key),
                evaluation.change(alone[0].get(metric.key), alone[1].get(metric.key)),
                alone[2].get(metric.key),
            ]
            for metric in metrics.SHOWN
        ]
        assert table.rows == expected
    assert any(
        row[1] for row in evaluation.metric_table(Rows(paths=(people.dg.path,)), period).rows
    )


def _by_hand(sums, rows, first, last, key) -> dict[object, dict[str, int]]:
    found: dict[object, dict[str, int]] = defaultdict(lambda: dict.fromkeys(m.key for m in sums))
    for row in rows:
        if not first <= row.day <= last or row.metric not in {m.source for m in sums}:
            continue
        cells = found[key(row)]
        for metric in sums:
            cells[metric.key] = cells[metric.key] or 0
            if row.metric == metric.source and (
                not metric.dimensions or row.dimension in metric.dimensions
            ):
                cells[metric.key] += row.value
    return {group: dict(cells) for group, cells in found.items()}


ALL_SUMS = [m for m in metrics.METRICS if m.kind == "sum"]
# Metrics counting every dimension of their source: the database adds the dimensions up.
WHOLE_SOURCES = [m for m in ALL_SUMS if not m.dimensions and m.key != "findings"]


@pytest.mark.parametrize("sums", [ALL_SUMS, WHOLE_SOURCES], ids=["all", "whole-sources"])
@pytest.mark.parametrize("daily", [False, True])
@pytest.mark.parametrize(
    ("first", "last"), [("2026-01-01", "2026-12-31"), ("2025-03-05", "2026-02-11")]
)
def test_sums_added_row_by_row_are_the_rows_summed_by_hand(
    people, spread, sums, daily, first, last
):
    first, last = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
    assert any(m.dimensions for m in ALL_SUMS)
    assert not any(m.dimensions for m in WHOLE_SOURCES)
    assert any(len(COUNTS[m.source]) > 1 for m in WHOLE_SOURCES)  # dimensions to add up
    rows = list(DailyCount.objects.filter(unit_path__startswith=people.dg.path))
    month = lambda row: row.day.replace(day=1)  # noqa: E731
    for group, key in (
        (None, lambda row: None),
        ("officer_id", lambda row: row.officer_id),
        (queries.MONTH, month),
    ):
        found = queries.measure(
            sums,
            rows=Rows(paths=(people.dg.path,)),
            start=first,
            end=last,
            group=group,
            daily=daily,
        )
        found = {
            evaluation.as_date(k) if group == queries.MONTH else k: v for k, v in found.items()
        }
        expected = _by_hand(sums, rows, first, last, key)
        assert found == expected
    assert any(value for cells in expected.values() for value in cells.values())


def _sparkline_before(values) -> str:
    """charts.sparkline as it was written with format_html, the reference."""
    points = charts._points(values, 96, 24, pad=2)
    return format_html(
        '<svg class="spark" viewBox="0 0 96 24" width="96" height="24" aria-hidden="true" '
        'focusable="false"><polyline points="{}" class="trend"></polyline></svg>',
        " ".join(f"{x},{y}" for x, y in points),
    )


@pytest.mark.parametrize(
    "values",
    [[0, 3, 2.5, None, 12], [7], [0, 0, 0], [1e-7, 123456789, 3.25], list(range(12))],
)
def test_a_sparkline_written_directly_is_the_one_format_html_wrote(values):
    assert charts.sparkline(values) == _sparkline_before(values)
    assert str(charts.sparkline([])) == ""


def test_random_sparklines_are_the_ones_format_html_wrote():
    rng = random.Random(5)
    for _case in range(300):
        values = [
            rng.choice([None, 0, rng.randint(0, 10**6), rng.random() * rng.choice([1, 7, 1e5])])
            for _value in range(rng.randint(1, 14))
        ]
        assert charts.sparkline(values) == _sparkline_before(values)


def _breakdown_alone(metric, rows: Rows, first, last) -> list[tuple[str, int]]:
    """One metric's breakdown in its own query, as it was read before, the reference."""
    model = MonthlyCount if queries.monthly_level(rows, [(first, last)], None) else DailyCount
    found = (
        model.objects.filter(rows.q(), metric=metric.source, day__gte=first, day__lte=last)
        .values("dimension")
        .annotate(total=Sum("value"))
        .order_by("-total", "dimension")
    )
    return [
        (row["dimension"], row["total"])
        for row in found
        if not metric.dimensions or row["dimension"] in metric.dimensions
    ]


@pytest.mark.parametrize("param", PERIODS)
def test_breakdowns_read_together_are_each_read_alone(people, spread, param):
    period = _period(param)
    keys = ["findings", "overstays", "checks_by_nationality", "tak", "activities"]
    wanted = [metrics.BY_KEY[key] for key in keys]
    for rows in (
        Rows(paths=(people.dg.path,)),
        Rows(paths=(people.office_a.path,)),
        Rows(paths=(people.dg.path,), officer_ids=(people.officer_b.pk,)),
    ):
        found = queries.breakdowns(wanted, rows=rows, start=period.start, end=period.end)
        assert found == {
            metric.key: _breakdown_alone(metric, rows, period.start, period.end)
            for metric in wanted
        }
    whole = queries.breakdowns(
        wanted, rows=Rows(paths=(people.dg.path,)), start=period.start, end=period.end
    )
    assert whole["findings"]
    assert whole["checks_by_nationality"]
    assert len(whole["overstays"]) < len(whole["findings"])  # the same rows, fewer dimensions


def _members_before(unit: OrgUnit, period: periods.Period) -> list[list[object]]:
    """The members table's rows as read before: the members' ids first, then their users."""
    wanted = evaluation.summary_metrics()
    values = queries.measure(
        wanted,
        rows=Rows(paths=(unit.path,)),
        start=period.start,
        end=period.end,
        group="officer_id",
    )
    member_ids = set(
        Membership.objects.filter(unit__path__startswith=unit.path)
        .filter(role=Membership.Role.OFFICER, start_date__lte=period.end)
        .exclude(end_date__lt=period.start)
        .values_list("user_id", flat=True)
    )
    officers = User.objects.filter(pk__in=member_ids | {key for key in values if key}).order_by(
        "full_name", "pk"
    )
    return [
        [
            officer.full_name or officer.username,
            *[values.get(officer.pk, {}).get(m.key, 0) or 0 for m in wanted],
        ]
        for officer in officers
    ]


@pytest.mark.parametrize("param", PERIODS)
def test_the_members_table_in_one_query_is_the_table_read_in_two(people, spread, param):
    period = _period(param)
    for unit in (people.dg, people.office_a, people.section_a, spread["gone_office"]):
        table = evaluation.members_table(unit, period)
        assert table.rows == _members_before(unit, period)
    assert evaluation.members_table(people.dg, period).rows  # officers with rows, members


@pytest.mark.django_db
def test_a_period_without_rows_reads_as_an_empty_reading_does():
    # What the metric table shows for a period nobody reported in, without its queries.
    wanted = list(metrics.METRICS)
    day = datetime.date(2025, 3, 1)
    empty = queries.measure(wanted, rows=queries.Rows(), start=day, end=day)[None]
    assert queries.nothing(wanted) == empty
    assert {value for value in empty.values()} >= {0, None}


def test_the_home_cards_month_and_month_before_are_each_read_alone(rf, people, spread):
    """The home card reads this month and the month before in one grouped reading."""
    seen = []
    with time_machine.travel(datetime.datetime(2026, 12, 6, 3, tzinfo=datetime.UTC), tick=False):
        for user in (people.leader_a, people.analyst, people.analyst_national):
            request = rf.get("/")
            request.user = user
            found = sections.home_context(request)
            unit = scope.home_unit(user)
            month = periods.month_of(scope.today_for(unit))
            wanted = [metrics.BY_KEY[key] for key in sections.HOME_KEYS]
            alone = [
                queries.measure(wanted, rows=Rows(paths=(unit.path,)), start=p.start, end=p.end)[
                    None
                ]
                for p in (month, month.previous())
            ]
            assert found["insights_unit"] == unit
            assert found["insights_numbers"] == [
                (metric, alone[0].get(metric.key), alone[1].get(metric.key)) for metric in wanted
            ]
            seen.extend(now for _metric, now, _before in found["insights_numbers"])
    assert any(seen)
