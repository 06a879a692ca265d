"""The tables of the evaluation pages, built once and used by the page and by its exports.

Each reading is a fixed number of grouped rollup queries (silahap.insights.queries), whatever
the number of reports, members or months.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from silahap.accounts.models import Membership, OrgUnit, User
from silahap.insights import charts, metrics, queries
from silahap.insights.metrics import Metric
from silahap.insights.periods import Period, month_of
from silahap.insights.queries import Rows

# The columns of the per-unit and per-member tables, and of the trend.
SUMMARY_KEYS = (
    "activities",
    "persons_checked",
    "findings",
    "reports_late",
    "reports_missing",
)
TREND_KEYS = ("activities", "persons_checked", "findings")
TREND_MONTHS = 12


@dataclass
class Table:
    """A table as shown and as exported: a title, column headers and rows of plain cells."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)
    # What each row opens: a metric's key, a unit's or an officer's id.
    links: list[str | int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def bars(self) -> list[tuple[str, int | float | None]]:
        """(label, number) of each row of a two-column table, for its bar chart."""
        return [
            (str(row[0]), row[1] if isinstance(row[1], int | float) else None) for row in self.rows
        ]

    def linked(self) -> list[tuple[object, list[object]]]:
        """(link, row) pairs, for templates that link each row (a unit, an officer, a metric)."""
        return list(zip(self.links, self.rows, strict=False))


def change(current, before) -> str:
    if current is None or before in (None, 0):
        return "—"
    percent = 100 * (current - before) / before
    return f"{percent:+.0f}%"


def metric_table(rows: Rows, period: Period) -> Table:
    """Every metric for the period, beside the previous period and the same period last year."""
    wanted = metrics.SHOWN
    previous, last_year = period.previous(), period.last_year()
    now, before, year_ago = read_periods(wanted, rows, period, previous, last_year)
    table = Table(
        name="metrics",
        title=_("Metrics"),
        headers=[
            _("Metric"),
            period.label,
            _("Previous period (%(period)s)") % {"period": previous.label},
            _("Change"),
            _("Same period last year (%(period)s)") % {"period": last_year.label},
        ],
    )
    for metric in wanted:
        value = now.get(metric.key)
        table.rows.append(
            [
                metric.label,
                value,
                before.get(metric.key),
                change(value, before.get(metric.key)),
                year_ago.get(metric.key),
            ]
        )
        table.links.append(metric.key)
    return table


def read_periods(wanted, rows: Rows, *periods: Period) -> list[dict]:
    """The metrics of several periods in one reading when the different ones do not overlap (a
    month, its previous month and the same month last year; a year and the year before, which
    is both its previous period and the same period last year); otherwise one reading per
    different period (a quarter and its previous quarter overlap nothing, but a custom range
    may)."""
    spans = list(dict.fromkeys((p.start, p.end) for p in periods))
    if any(
        first[0] <= second[1] and second[0] <= first[1]
        for index, first in enumerate(spans)
        for second in spans[index + 1 :]
    ):
        read = {
            span: queries.measure(wanted, rows=rows, start=span[0], end=span[1])[None]
            for span in spans
        }
        return [read[(p.start, p.end)] for p in periods]
    names = {f"p{index}": span for index, span in enumerate(spans)}
    found = queries.measure(
        wanted,
        rows=rows,
        start=spans[0][0],
        end=spans[0][1],
        group=queries.period_group(names),
        ranges=list(names.values()),
    )
    missing = [name for name in names if not found.get(name)]
    if missing:
        # A period with no rows at all: its zeros (sums) and blanks (medians, ratios).
        found.update({name: queries.nothing(wanted) for name in missing})
    by_span = {span: found[name] for name, span in names.items()}
    # A period read twice (the previous year and the same year last year) gets its own copy,
    # as its own reading gave it.
    return [dict(by_span[(p.start, p.end)]) for p in periods]


def summary_metrics() -> list[Metric]:
    return [metrics.BY_KEY[key] for key in SUMMARY_KEYS]


def children_table(children: Sequence[OrgUnit], period: Period) -> Table:
    """One row per child unit, each exact (distinct persons are counted per child subtree)."""
    wanted = summary_metrics()
    table = Table(
        name="units",
        title=_("By unit"),
        headers=[_("Unit"), *[metric.label for metric in wanted]],
    )
    if not children:
        return table
    values = queries.measure(
        wanted,
        rows=_children_rows(children),
        start=period.start,
        end=period.end,
        group=queries.child_group(children),
    )
    for child in children:
        found = values.get(child.pk, {})
        table.rows.append([child.name, *[found.get(m.key, 0) or 0 for m in wanted]])
        table.links.append(child.pk)
    return table


def _children_rows(children: Sequence[OrgUnit]) -> Rows:
    """The rows a children table reads: each child's subtree, or, when the children are grouped
    by their ancestor's id in the path (PostgreSQL, one depth) and share one parent, the
    parent's whole subtree in one prefix: the same groups (the parent's own rows group under
    no child, another child's under its own id, and the table reads only its children's), from
    one range of the paths' index instead of one per child (34 regions: half the time)."""
    parents = {child.path.rsplit("/", 2)[0] + "/" for child in children}
    if (
        connection.vendor == "postgresql"
        and len(parents) == 1
        and len({child.depth for child in children}) == 1
    ):
        return Rows(paths=(parents.pop(),))
    return Rows(paths=tuple(child.path for child in children))


def members_table(unit: OrgUnit, period: Period) -> Table:
    """One row per officer who reported or was due in the unit's subtree during the period."""
    wanted = summary_metrics()
    values = queries.measure(
        wanted,
        rows=Rows(paths=(unit.path,)),
        start=period.start,
        end=period.end,
        group="officer_id",
    )
    # The members as a subquery of the officers' query: one query, not two.
    members = (
        Membership.objects.filter(unit__path__startswith=unit.path)
        .filter(role=Membership.Role.OFFICER, start_date__lte=period.end)
        .exclude(end_date__lt=period.start)
        .values("user_id")
    )
    officers = (
        User.objects.filter(Q(pk__in=members) | Q(pk__in=[key for key in values if key]))
        .only("full_name", "username")
        .order_by("full_name", "pk")
    )
    table = Table(
        name="members",
        title=_("By officer"),
        headers=[_("Officer"), *[metric.label for metric in wanted]],
    )
    for officer in officers:
        found = values.get(officer.pk, {})
        table.rows.append(
            [officer.full_name or officer.username, *[found.get(m.key, 0) or 0 for m in wanted]]
        )
        table.links.append(officer.pk)
    return table


def trend_window(period: Period) -> Period:
    """The twelve calendar months ending with the period's last month."""
    last = month_of(period.end)
    first = last.start
    for _step in range(TREND_MONTHS - 1):
        first = month_of(first - datetime.timedelta(days=1)).start
    return Period("custom", first, last.end)


def trend_table(rows: Rows, period: Period) -> tuple[Table, dict[str, SafeString]]:
    """The last twelve months of a few metrics, as a table and one line chart per metric."""
    wanted = [metrics.BY_KEY[key] for key in TREND_KEYS]
    window = trend_window(period)
    values = queries.measure(
        wanted, rows=rows, start=window.start, end=window.end, group=queries.MONTH
    )
    months = [month.start for month in window.months()]
    by_month = {as_date(key): cells for key, cells in values.items() if key is not None}
    table = Table(
        name="trend",
        title=_("Last twelve months"),
        headers=[_("Month"), *[metric.label for metric in wanted]],
    )
    for month in months:
        cells = by_month.get(month, {})
        table.rows.append([f"{month:%Y-%m}", *[cells.get(m.key, 0) or 0 for m in wanted]])
    lines = {
        metric.label: charts.line(
            [by_month.get(month, {}).get(metric.key, 0) or 0 for month in months]
        )
        for metric in wanted
    }
    return table, lines


def as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def breakdown_tables(
    keys: Sequence[str], rows: Rows, period: Period, labels: dict[str, dict[str, str]]
) -> dict[str, Table]:
    """The breakdown tables of several metrics (each by its own labels), read in one query."""
    wanted = [metrics.BY_KEY[key] for key in keys]
    found = queries.breakdowns(wanted, rows=rows, start=period.start, end=period.end)
    tables = {}
    for metric in wanted:
        table = Table(name=metric.key, title=metric.label, headers=[_("Kind"), _("Number")])
        names = labels[metric.key]
        for dimension, total in found[metric.key]:
            table.rows.append([names.get(dimension, dimension or "—"), total])
        tables[metric.key] = table
    return tables
