import datetime
import uuid

import pytest
import time_machine

from silahap.insights import rollups
from silahap.insights.tests.helpers import drain
from silahap.reports import services as reports
from silahap.reports.models import Activity, ViolationType
from silahap.reports.tests.factories import WIB, at, field_activity, person, place
from silahap.supervision import services as supervision

# Monday 24 to Monday 31 March 2025: Friday 28 is collective leave (Nyepi), Saturday 29 Nyepi,
# Monday 31 Idul Fitri, so the working days are 24 to 27.
WEEK = (datetime.date(2025, 3, 24), datetime.date(2025, 3, 31))
LATER = datetime.datetime(2025, 4, 10, 12, 0, tzinfo=WIB)


def _day(number: int) -> datetime.date:
    return datetime.date(2025, 3, number)


def _check(by, activity, who, result="compliant"):
    return reports.check_create(
        by=by,
        client_id=uuid.uuid4(),
        activity=activity,
        person=who,
        verification_method="physical_document",
        result=result,
    )


@pytest.fixture
def week(people):
    """A hand-counted week of office A (see the expected numbers in test_metric_formulas)."""
    a, a2, leader = people.officer_a, people.officer_a2, people.leader_a
    hotel = place(by=a)
    x = person(by=a, name="Xavier Stone", document="X1000001")
    y = person(by=a, name="Yuki Tanaka", document="Y1000001")
    z = person(by=a, name="Zed Closed", document="Z1000001")
    overstay = ViolationType.objects.get(code="overstay_lt_60")
    # Monday: on time, two persons, one overstay; approved the next morning (16 hours).
    with time_machine.travel(at(9, day=_day(24)), tick=False):
        monday = field_activity(by=a, started_at=at(9, day=_day(24)), place=hotel)
        _check(a, monday, x)
        check_y = _check(a, monday, y, result="finding")
        reports.finding_create(
            by=a,
            client_id=uuid.uuid4(),
            activity=monday,
            violation_type=overstay,
            check=check_y,
            overstay_days=12,
        )
    report = reports.report_submit(report=monday.report, by=a, now=at(17, day=_day(24)))
    with time_machine.travel(at(9, day=_day(25)), tick=False):
        reports.report_approve(report=report, by=leader)
    # Tuesday: the same hotel and person again, late; returned an hour later, then approved.
    tuesday = field_activity(by=a, started_at=at(10, day=_day(25)), place=hotel)
    _check(a, tuesday, x)
    report = reports.report_submit(report=tuesday.report, by=a, now=at(21, day=_day(25)))
    with time_machine.travel(at(22, day=_day(25)), tick=False):
        report = reports.report_return(report=report, by=leader, reason="Add the conclusion.")
    report = reports.report_submit(report=report, by=a, now=at(23, day=_day(25)))
    with time_machine.travel(at(8, day=_day(26)), tick=False):
        reports.report_approve(report=report, by=leader)
    # Wednesday: officer A is on leave; Thursday nothing (missing).
    supervision.absence_record(
        by=leader, user=a, kind="leave", start_date=_day(26), end_date=_day(26)
    )
    # Officer A2: Monday on time with only a closed (intelligence) activity, then nothing.
    secret = field_activity(
        by=a2,
        started_at=at(9, day=_day(24)),
        place=hotel,
        classification=Activity.Classification.CLOSED,
    )
    _check(a2, secret, z)
    reports.report_submit(report=secret.report, by=a2, now=at(16, day=_day(24)))
    for unit in (people.team_a,):
        rollups.refresh_missing(units=[unit], start=WEEK[0], end=WEEK[1], now=LATER)
    drain()
    return people
