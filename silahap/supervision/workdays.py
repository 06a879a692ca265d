"""The working calendar: weekends, Indonesian public holidays and collective leave (cuti bersama),
corrected by the Holiday table, and each office's daily report deadline in its own zone."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

from silahap.accounts.models import OrgUnit
from silahap.supervision.models import Holiday, HolidayKind

DEFAULT_DEADLINE = datetime.time(23, 59)


@lru_cache(maxsize=32)
def national_calendar(year: int) -> dict[datetime.date, tuple[str, HolidayKind]]:
    """The package's dates for a year: "public" holidays and "government" collective leave."""
    public = holidays.country_holidays("ID", years=year, categories=("public",), language="id")
    collective = holidays.country_holidays(
        "ID", years=year, categories=("government",), language="id"
    )
    days = {day: (name, HolidayKind.COLLECTIVE) for day, name in collective.items()}
    days.update({day: (name, HolidayKind.PUBLIC) for day, name in public.items()})
    return days


def holidays_between(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """Non-working dates from `start` to `end` (weekends aside) with their names; one query."""
    found: dict[datetime.date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, (name, _kind) in national_calendar(year).items():
            if start <= day <= end:
                found[day] = name
    for row in Holiday.objects.filter(date__gte=start, date__lte=end):
        if row.is_working_day:
            found.pop(row.date, None)
        else:
            found[row.date] = row.name
    return found


def working_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Monday to Friday from `start` to `end`, less holidays and collective leave."""
    off = holidays_between(start, end)
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5 and day not in off:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def is_working_day(day: datetime.date) -> bool:
    return bool(working_days(day, day))


def office_of(unit: OrgUnit) -> OrgUnit:
    return unit.office or unit


def deadline(unit: OrgUnit, day: datetime.date) -> datetime.datetime:
    """When a day's report is due: the office's deadline in the office's own zone."""
    office = office_of(unit)
    return datetime.datetime.combine(
        day, office.report_deadline or DEFAULT_DEADLINE, tzinfo=office.zone
    )
