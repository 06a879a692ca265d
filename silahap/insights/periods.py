"""Periods the pages evaluate: a month, a quarter, a year or a custom range of office-local days.

A period travels in links as one parameter, `p`: "2026-11", "2026-Q4", "2026" or
"2026-11-03..2026-11-20", so drilling down keeps it.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_DAYS = 3 * 366 + 1
FIRST_YEAR, LAST_YEAR = 2001, 2100
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
YEAR = re.compile(r"^(\d{4})$")
RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """A period the user asked for that cannot be evaluated; the message says why."""


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter", "year" or "custom"
    start: datetime.date
    end: datetime.date

    @property
    def param(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.start.year}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == "custom":
            return f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"
        return self.param

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before, of the same kind and length."""
        if self.kind == "custom":
            end = self.start - datetime.timedelta(days=1)
            return Period("custom", end - datetime.timedelta(days=self.days - 1), end)
        return _of_kind(self.kind, self.start - datetime.timedelta(days=1))

    def last_year(self) -> Period:
        """The same period a year earlier (29 February falls back to the 28th)."""
        return Period(self.kind, _year_before(self.start), _year_before(self.end))

    def months(self) -> list[Period]:
        found, day = [], self.start.replace(day=1)
        while day <= self.end:
            found.append(_of_kind("month", day))
            day = found[-1].end + datetime.timedelta(days=1)
        return found


def _year_before(day: datetime.date) -> datetime.date:
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year - 1, day=28)
    return day.replace(year=day.year - 1)


def _of_kind(kind: str, day: datetime.date) -> Period:
    if kind == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return Period("month", day.replace(day=1), day.replace(day=last))
    if kind == "quarter":
        first_month = (day.month - 1) // 3 * 3 + 1
        start = datetime.date(day.year, first_month, 1)
        end_month = first_month + 2
        return Period(
            "quarter",
            start,
            datetime.date(day.year, end_month, calendar.monthrange(day.year, end_month)[1]),
        )
    return Period("year", datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))


def month_of(day: datetime.date) -> Period:
    return _of_kind("month", day)


def parse(value: str, *, today: datetime.date) -> Period:
    """The period named by `value`, or this month (in the caller's zone) when empty."""
    value = (value or "").strip()
    if not value:
        return month_of(today)
    if len(value) > 30:
        raise PeriodError(_("This period is not understood."))
    try:
        if match := MONTH.match(value):
            period = _of_kind("month", datetime.date(int(match[1]), int(match[2]), 1))
        elif match := QUARTER.match(value):
            period = _of_kind("quarter", datetime.date(int(match[1]), int(match[2]) * 3, 1))
        elif match := YEAR.match(value):
            period = _of_kind("year", datetime.date(int(match[1]), 1, 1))
        elif match := RANGE.match(value):
            return custom(
                datetime.date.fromisoformat(match[1]), datetime.date.fromisoformat(match[2])
            )
        else:
            raise PeriodError(_("This period is not understood."))
    except PeriodError:
        raise
    except ValueError:
        raise PeriodError(_("This period is not a real date.")) from None
    _check_years(period.start, period.end)
    return period


def _check_years(start: datetime.date, end: datetime.date) -> None:
    if start.year < FIRST_YEAR or end.year > LAST_YEAR:
        raise PeriodError(_("This period is outside the years SiLAHAP holds."))


def custom(start: datetime.date, end: datetime.date) -> Period:
    if end < start:
        raise PeriodError(_("The end of the period is before its start."))
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError(_("A period can be at most three years long."))
    _check_years(start, end)
    return Period("custom", start, end)
