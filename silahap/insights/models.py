"""Rollups: what the evaluation pages read instead of scanning reports and activities.

Both tables hold one officer's day (the report date, in the office's zone). They are derived data:
`silahap.insights.rollups` rebuilds any officer-day from the reports, and the subscribers in
`silahap.insights.subscribers` rebuild the officer-days an event touches, so a row is always what
a from-scratch count would give. Never write them anywhere else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from silahap.accounts.models import OrgUnit


class DailyCount(models.Model):
    """An additive count of one officer's day: summing rows over days and units is exact.

    `dimension` breaks a count down (activity kind, check result, violation type, nationality,
    TAK type); a metric's total is the sum over its dimensions.
    """

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    # The unit's path, copied so a subtree's rows are one indexed prefix match with no join.
    unit_path = models.CharField(max_length=255)
    metric = models.CharField(max_length=40)
    dimension = models.CharField(max_length=40, blank=True)
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
            models.Index(fields=["officer", "day"], name="daily_count_officer"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.day} {self.metric}/{self.dimension}={self.value}"


class DailyValue(models.Model):
    """A value seen on one officer's day, kept so that non-additive metrics stay exact.

    `kind` "person" or "place" holds the ids seen (distinct persons over a quarter is a
    COUNT(DISTINCT value) over these rows, never a sum of daily distinct counts);
    "review_minutes" holds the report's first review turnaround (medians are taken over them).
    """

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
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
    """The sum of a unit's DailyCount rows over one month (`day` is the month's first day).

    Derived from the daily rows, never from the reports: whoever rebuilds officer-days rebuilds
    the unit-months they fall in (`rollups.refresh_months`), so a month is always the exact sum of
    its days. Pages read it for periods made of whole months (month, quarter, year); a national
    league reads one row per unit, month and metric instead of one per officer and day.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=255)
    day = models.DateField()
    metric = models.CharField(max_length=40)
    dimension = models.CharField(max_length=40, blank=True)
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
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day:%Y-%m} {self.metric}/{self.dimension}={self.value}"


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
