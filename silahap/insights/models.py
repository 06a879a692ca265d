"""Rollups: what the evaluation pages read instead of scanning reports and activities.

Both tables hold one officer's day (the report date, in the office's zone). They are derived data:
`silahap.insights.rollups` rebuilds any officer-day from the reports, and the subscribers in
`silahap.insights.subscribers` rebuild the officer-days an event touches, so a row is always what
a from-scratch count would give. Never write them anywhere else.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silahap.accounts.models import OrgUnit


class DailyCount(models.Model):
    """An additive count of one officer's day: summing rows over days and units is exact.

    `dimension` breaks a count down (activity kind, check result, violation type, nationality,
    TAK type); a metric's total is the sum over its dimensions.
    """

    # No index of its own: the unique constraint leads with it (officer, day, ...). The largest
    # rollup table's indexes are most of a bulk fill's time.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    # The unit's path, copied so a subtree's rows are one indexed prefix match with no join.
    unit_path = models.CharField(max_length=255)
    metric = models.CharField(max_length=40)
    # A violation type's code (up to 40), a nationality and a map cell together: "code|NN|cell".
    dimension = models.CharField(max_length=80, blank=True)
    value = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "day", "metric", "dimension"], name="daily_count_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["metric", "unit_path", "day"],
                name="daily_count_scope",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
            ),
            # National and regional readings of a month or a quarter: a range of days over every
            # office (the index above serves one subtree over any period).
            models.Index(fields=["metric", "day"], name="daily_count_period"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.day} {self.metric}/{self.dimension}={self.value}"


class DailyValue(models.Model):
    """A value seen on one officer's day, kept so that non-additive metrics stay exact.

    `kind` "person" or "place" holds the ids seen (distinct persons over a quarter is a
    COUNT(DISTINCT value) over these rows, never a sum of daily distinct counts);
    "review_minutes" holds the report's first review turnaround (medians are taken over them).
    """

    # No index of its own: the unique constraint leads with it, as for DailyCount.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=255)
    kind = models.CharField(max_length=20)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "day", "kind", "value"], name="daily_value_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["kind", "unit_path", "day"],
                name="daily_value_scope",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["kind", "day"], name="daily_value_period"),
            models.Index(fields=["kind", "value"], name="daily_value_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.day} {self.kind}={self.value}"


class MonthlyCount(models.Model):
    """The sum of a unit's DailyCount rows over one month (`day` is the month's first day), and
    the histogram of its DailyValue rows of the kinds medians read (metric "review_minutes",
    dimension the value, value how many): what SubtreeTally adds up above the unit.

    Derived from the daily rows, never from the reports: whoever rebuilds officer-days rebuilds
    the unit-months they fall in (`rollups.refresh_months`), so a month is always the exact sum of
    its days. Pages read it for periods made of whole months (month, quarter, year); a national
    league reads one row per unit, month and metric instead of one per officer and day.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=255)
    day = models.DateField()
    metric = models.CharField(max_length=40)
    dimension = models.CharField(max_length=80, blank=True)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "metric", "dimension"], name="monthly_count_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["metric", "unit_path", "day"],
                name="monthly_count_scope",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["metric", "day"], name="monthly_count_period"),
            # The map's sources filtered by what leads their dimension (a violation type, a
            # nationality: "CN|cell", "n:CN|regency"): a national year reads those rows only.
            models.Index(
                fields=["metric", "dimension", "day"],
                name="monthly_count_dimension",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
                include=["unit_path", "value"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day:%Y-%m} {self.metric}/{self.dimension}={self.value}"


class OfficerMonthCount(models.Model):
    """One officer's DailyCount rows within one unit summed over one month (`day` the month's
    first day), for the catalogue's sums (`rollups.SUBTREE_SUMS`): what a table of members (one
    row per officer over whole months, a leader's or head of office's year) reads instead of a
    year of each member's days, about a twentieth of the rows; and an officer's own months.

    Derived from the daily rows as MonthlyCount is and rebuilt with it, one unit-month at a time
    (`rollups.refresh_months`): its rows are that unit-month's rows split by officer, so the two
    always agree. Kept per unit (the officer's team), not per officer alone: a subtree's members
    are the rows under its path, and an officer who moved teams in the year counts in each.
    """

    # No index of its own: the unique constraint leads with it (an officer's own months).
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # No index of its own: the unit-month index below leads with it.
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", db_index=False)
    unit_path = models.CharField(max_length=255)
    day = models.DateField()
    metric = models.CharField(max_length=40)
    dimension = models.CharField(max_length=80, blank=True)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "day", "unit", "metric", "dimension"],
                name="officer_month_count_once",
            ),
        ]
        indexes = [
            # A unit-month's rows, deleted when it is rebuilt.
            models.Index(fields=["unit", "day"], name="officer_month_count_unit"),
            # A subtree's members over whole months, read from the index alone (PostgreSQL).
            models.Index(
                fields=["metric", "unit_path", "day"],
                name="officer_month_count_scope",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
                include=["officer", "dimension", "value"],
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.officer_id} {self.unit_id} {self.day:%Y-%m} "
            f"{self.metric}/{self.dimension}={self.value}"
        )


class MonthlyValue(models.Model):
    """The set of persons or places a unit saw in one month (`day` is the month's first day).

    A per-period set, so distinct counts stay exact: distinct persons over a quarter or over a
    region is COUNT(DISTINCT value) over its units' monthly sets, never a sum of monthly counts.
    Medians are not kept here (a set loses repeated values): they are read from DailyValue.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=255)
    day = models.DateField()
    kind = models.CharField(max_length=20)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "kind", "value"], name="monthly_value_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["kind", "unit_path", "day"],
                name="monthly_value_scope",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["kind", "day", "unit_path", "value"], name="monthly_value_period"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day:%Y-%m} {self.kind}={self.value}"


# A SubtreeSeen row's `previous` when the value was not in the subtree's set in any month before.
NEVER = datetime.date(1970, 1, 1)


class SubtreeMonth(models.Model):
    """A row about one unit's whole subtree in one month (`day` is the month's first day)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    # The unit's own path and depth: a reading picks whole subtrees by them (one row each).
    unit_path = models.CharField(max_length=255)
    depth = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)
    day = models.DateField()

    class Meta:
        abstract = True


class SubtreeSeen(SubtreeMonth):
    """Distinct persons or places of any unit's subtree over any run of whole months, exactly,
    by summing a few rows instead of reading every set member.

    One row per unit U (every unit at or above where a value was seen), kind, month `day` and
    `previous` month: `value` is how many values were in U's subtree's monthly set (MonthlyValue)
    in `day` whose last month in that set before `day` was `previous` (NEVER when none). A value
    seen in months a..b is then counted exactly once in that run, at its first month in it: the
    only one whose previous month is before a. So COUNT(DISTINCT value) over a..b is the sum of
    `value` over day in a..b with previous < a; a single month is the sum over that month. A
    national year reads about twelve rows per previous month instead of every person seen.

    Derived from MonthlyValue only: `rollups.refresh_months` applies the difference each change
    makes for the values whose months changed, and `rollups.rebuild_seen` recounts it all. A row
    may hold 0 (kept, so that concurrent increments never race a delete; a rebuild drops them).
    """

    previous = models.DateField()
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "day", "previous"], name="subtree_seen_once"
            ),
        ]
        # Covering (PostgreSQL): a span's first-seen reading keeps the runs whose previous
        # month is before the span and sums them from the index alone; it walks every run of
        # the span's months (one per previous month, more with each month of history), and at
        # 10,000,000 activities a league of regions' year fetched 21,000 table pages for them.
        indexes = [
            models.Index(
                fields=["kind", "unit_path", "day"],
                name="subtree_seen_cover",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
                include=["depth", "previous", "value"],
            ),
            # The units of one depth over some months (a league of offices or regions, grouped
            # by their ancestor at that depth): the scope index reads every month of the
            # country's history under its path prefix.
            models.Index(
                fields=["kind", "depth", "day"],
                name="subtree_seen_level_cover",
                include=["unit_path", "previous", "value"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.day:%Y-%m}/{self.previous:%Y-%m}={self.value}"


class SubtreeMonthSeen(SubtreeMonth):
    """How many distinct values (persons, places) one unit's subtree saw in one month: its
    SubtreeSeen rows of that month summed over their previous months, kept beside them.

    A reading grouped by month (a trend, a league's twelve-month sparklines) sums one row per
    unit and month here instead of one per previous month, a number that grows with the months
    of history: a league of regions' sparklines read 109,507 SubtreeSeen rows at 10,000,000
    activities (seven years) and 12 per region here. Kept from the same differences as
    SubtreeSeen (`rollups.refresh_months`, the bulk fill) and recounted with it
    (`rollups.rebuild_seen`). A row may hold 0.
    """

    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "day"], name="subtree_month_seen_once"),
        ]
        indexes = [
            # Covering: a reading sums `value` by unit path and month from the index alone.
            models.Index(
                fields=["kind", "unit_path", "day"],
                name="subtree_month_seen_scope",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
                include=["depth", "value"],
            ),
            models.Index(
                fields=["kind", "depth", "day"],
                name="subtree_month_seen_level",
                include=["unit_path", "value"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.day:%Y-%m}={self.value}"


class OfficerSeen(SubtreeMonth):
    """Distinct persons or places each officer saw within any unit's subtree over any run of
    whole months, exactly, by summing a few rows instead of reading every daily value: what a
    leader's table of members (one row per officer) reads.

    SubtreeSeen's runs, kept per officer: one row per officer O, unit U (every unit at or above
    where O saw a value), kind, month `day` and `previous` month; `value` is how many values O
    saw within U's subtree in `day` (DailyValue rows of O in that month under U) whose last month
    O saw them there before `day` was `previous` (NEVER when none). Kept per unit and not per
    officer alone: an officer who moved from one team to another in the period is read within
    the unit whose table it is, and a value seen in both teams counts once above both. So O's
    distinct values within U over months a..b are the sum of `value` over day in a..b with
    previous < a.

    Derived from DailyValue only: `rollups.refresh_reports` applies the difference each rebuilt
    officer-day makes for the values whose days changed, and `rollups.rebuild_officer_seen`
    recounts it all. A row may hold 0 (kept, so that concurrent increments never race a delete).
    """

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    previous = models.DateField()
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "unit", "kind", "day", "previous"], name="officer_seen_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["kind", "unit_path", "day"],
                name="officer_seen_scope",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.officer_id} {self.unit_id} {self.kind} "
            f"{self.day:%Y-%m}/{self.previous:%Y-%m}={self.value}"
        )


class SubtreeTally(SubtreeMonth):
    """How often each value of a kind (review minutes) occurred in a unit's subtree in a month:
    the histogram an exact median over whole months and one subtree is read from.

    One row per unit U (every unit at or above where the value occurred), kind, month `day` and
    value: `count` is how many of the subtree's daily values (DailyValue) of that month had it.
    A median over months a..b is then the middle of the summed histogram, exactly what the median
    over every daily value gives, from one row per month and distinct value instead of one per
    report. Derived from the unit-months' histograms in MonthlyCount (metric = kind, dimension =
    the value): `rollups.refresh_months` adds the difference a rebuilt unit-month makes to every
    unit above it, `rollups.rebuild_tallies` recounts it all. A row may hold 0.
    """

    value = models.BigIntegerField()
    count = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "day", "value"], name="subtree_tally_once"
            ),
        ]
        indexes = [
            # Holds all a median reads (PostgreSQL: an index-only scan of a year's histogram).
            models.Index(
                fields=["kind", "unit_path", "day", "value"],
                name="subtree_tally_scope",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops", "int8_ops"],
                include=["count"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.day:%Y-%m} {self.value}x{self.count}"


class SubtreeCount(SubtreeMonth):
    """The sums of a unit's whole subtree in a month: what a national, regional or office
    reading of an additive metric (activities, findings by type, reports late...) adds up,
    from one row per metric and dimension instead of one per unit below.

    One row per unit U (every unit at or above where the count was made), metric (`kind`,
    a source of the catalogue's sum metrics: `rollups.SUBTREE_SUMS`, or the map's cells counted
    by wide cell: `supervision_map.WIDE`), month `day` and
    `dimension`: `value` is the sum of the MonthlyCount rows of U's subtree for them. Without
    it a national twelve-month trend read every team's monthly rows, a number that grows with
    the months of history up to the twelve (about 600 units × 12 months × the dimensions).
    Kept with SubtreeTally, from the same rebuilt unit-months (`rollups.refresh_months` adds
    the difference to every unit above), and recounted by `rollups.rebuild_subtree_counts`.
    A row may hold 0.
    """

    kind = models.CharField(max_length=40)
    dimension = models.CharField(max_length=40, blank=True)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "day", "dimension"], name="subtree_count_once"
            ),
        ]
        indexes = [
            # Holds all a reading takes (PostgreSQL: an index-only scan).
            models.Index(
                fields=["kind", "unit_path", "day", "dimension"],
                name="subtree_count_scope",
                opclasses=[
                    "varchar_pattern_ops",
                    "varchar_pattern_ops",
                    "date_ops",
                    "varchar_pattern_ops",
                ],
                include=["depth", "value"],
            ),
            # The units of one depth over some months (the children of a national or regional
            # page, a league): the scope index would read every month of the history of every
            # unit under the path prefix.
            models.Index(
                fields=["kind", "depth", "day"],
                name="subtree_count_level",
                include=["unit_path", "dimension", "value"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind}/{self.dimension} {self.day:%Y-%m}={self.value}"


class SubtreeYearTally(SubtreeMonth):
    """SubtreeTally summed over each calendar year (`day` is the year's first day): a median
    over a whole year reads one row per distinct value instead of one per month and value
    (a national year: about 2,000 rows instead of 24,000).

    Kept with SubtreeTally, from the same differences (`rollups.refresh_months`), and rebuilt
    with it (`rollups.rebuild_tallies`). A row may hold 0.
    """

    value = models.BigIntegerField()
    count = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "day", "value"], name="subtree_year_tally_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["kind", "unit_path", "day", "value"],
                name="subtree_year_tally_scope",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops", "int8_ops"],
                include=["count"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.day:%Y} {self.value}x{self.count}"


class RecapComment(models.Model):
    """The leader's comment on a unit's month, printed in the monthly recap (laporan bulanan).

    One per unit and month (`month` is its first day); a leader of that unit writes and may
    rewrite it (`insights.services.recap_comment_save`, audited each time)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    text = models.TextField(max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="recap_comment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class ExportJob(models.Model):
    """A long export (a period's activities, checks or findings as XLSX) built by the worker.

    The page that asked for it shows its progress and, when done, the download; only the user
    who asked may see or download it, and the download is an audited read like every export.
    The file is deleted once it is older than the retention period (`export_jobs_expire`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        # Its file was deleted after the retention period; the row stays as a record.
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    period = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "unit", "kind", "period", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id} {self.period} {self.status}"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.rows_done / self.rows_total))
