"""The permit warnings' per-office counts, kept current by the database as persons change.

A warned person is attributed to the office of their latest check, else to the office whose work
area holds their address regency (silahap.registry.warnings). The counts are kept per
attribution key: an office (`office`, the person's `last_check_office`; `regency` empty) or, for a
person no office has checked, their address regency (`office` 0): the regency's office is decided
when the counts are read, so a change of work areas needs no recount.

Triggers on the person table (migration 0015) keep both tables by differences on every insert,
delete and change of `merged_into`, `regency`, `last_check_office` or `permit_valid_until`,
whichever code path writes it (services, imports, the admin, merges, bulk loads, migrations):

- WarningDay: how many counted persons of a key have their latest permit ending on `day`.
- WarningMonth: the same by the month `day` falls in: how many are valid at the end of a period
  is a few month rows and the days left in the period's last month (insights' league tables
  per 1,000 foreigners), whatever the size of the registry.
- WarningCount: per key, how many of them expire within 30 days of `as_of` and how many had
  ended before it. A reading on another day moves these by the WarningDay rows between the two
  dates (warnings.office_warnings), a few rows per key; the daily permit-warnings job moves
  `as_of` forward (warnings.advance_counts) so that stays a day or two.

A counted person is unmerged, has a dated permit and an attribution (a check's office or an
address regency). Rows may hold 0 (kept, so that concurrent increments never race a delete;
warnings.rebuild_counts recounts everything and drops them).
"""

from __future__ import annotations

from django.db import models

__all__ = ["WarningCount", "WarningDay", "WarningMonth"]


class WarningDay(models.Model):
    office = models.BigIntegerField()  # the office of the latest check; 0: by address
    regency = models.CharField(max_length=5, blank=True)  # the address regency when office is 0
    day = models.DateField()
    persons = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "regency", "day"], name="warning_day_once"),
        ]

    def __str__(self) -> str:
        return f"{self.office or self.regency} {self.day}={self.persons}"


class WarningMonth(models.Model):
    office = models.BigIntegerField()
    regency = models.CharField(max_length=5, blank=True)
    month = models.DateField()  # the first day of the month the permits end in
    persons = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "regency", "month"], name="warning_month_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office or self.regency} {self.month:%Y-%m}={self.persons}"


class WarningCount(models.Model):
    office = models.BigIntegerField()
    regency = models.CharField(max_length=5, blank=True)
    as_of = models.DateField()
    expiring = models.BigIntegerField()
    overstay = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "regency"], name="warning_count_once"),
        ]

    def __str__(self) -> str:
        return f"{self.office or self.regency} {self.as_of}: {self.expiring}/{self.overstay}"
