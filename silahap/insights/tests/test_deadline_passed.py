"""The passing of an office's deadline reaches the rollups through the spine: no daily recount.

The scheduler records one `deadline.passed` per office and working day; insights rebuilds that
office's missing reports of the last week, so the rollups equal a from-scratch count without
`rollups_recompute --missing-only` in a cron."""

from __future__ import annotations

import datetime

import pytest

from silahap.events.models import BusinessEvent
from silahap.events.types import EventType
from silahap.insights.models import DailyCount, MonthlyCount
from silahap.insights.tests.helpers import drain
from silahap.reports.tests.factories import WIB, at
from silahap.supervision import queries as supervision_queries
from silahap.supervision import scheduler

pytestmark = pytest.mark.django_db
THURSDAY = datetime.date(2025, 3, 27)


def _missing(office, day) -> set[tuple[int, datetime.date]]:
    return set(
        DailyCount.objects.filter(
            metric="reports_missing", unit_path__startswith=office.path, day=day
        ).values_list("officer_id", "day")
    )


def test_the_deadline_passing_makes_the_days_reports_missing_in_the_rollups(people):
    office = people.office_a
    assert _missing(office, THURSDAY) == set()
    before = at(19, 59, day=THURSDAY, zone=WIB)
    assert not any(key.startswith(f"deadline:{office.pk}:") for key in scheduler.tick(before))
    keys = scheduler.tick(at(20, 1, day=THURSDAY, zone=WIB))
    assert f"deadline:{office.pk}:{THURSDAY}" in keys
    # Once per office-day, however often the scheduler ticks.
    assert not any(
        key.startswith(f"deadline:{office.pk}:") for key in scheduler.tick(at(21, day=THURSDAY))
    )
    events = BusinessEvent.objects.filter(type=EventType.DEADLINE_PASSED, object_id=office.pk)
    assert [event.payload for event in events] == [{"day": THURSDAY.isoformat()}]
    drain()
    expected = {
        (row.officer.pk, row.day)
        for row in supervision_queries.missing_reports(units=[office], start=THURSDAY, end=THURSDAY)
    }
    assert expected  # nobody in office A filed that Thursday
    assert _missing(office, THURSDAY) == expected
    # The monthly level follows the daily rows it is built from.
    month = MonthlyCount.objects.filter(
        metric="reports_missing", unit_path__startswith=office.path, day=THURSDAY.replace(day=1)
    )
    days = DailyCount.objects.filter(
        metric="reports_missing", unit_path__startswith=office.path, day__month=THURSDAY.month
    )
    assert sum(month.values_list("value", flat=True)) == days.count() > len(expected)


def test_a_deadline_also_heals_the_week_before_a_scheduler_outage(people):
    """The scheduler catches up only on the current day; the refresh looks a week back."""
    office = people.office_a
    scheduler.tick(at(20, 1, day=datetime.date(2025, 3, 19), zone=WIB))  # a Wednesday
    drain()
    assert _missing(office, datetime.date(2025, 3, 13))  # the Thursday before, never ticked for
    assert not _missing(office, datetime.date(2025, 3, 11))  # over a week before: left alone
