"""Builders for the supervision tests, through the services like real data."""

from __future__ import annotations

import datetime
import uuid

from silahap.accounts.models import User
from silahap.registry.models import Place
from silahap.reports import services as reports
from silahap.reports.models import DailyReport, Finding
from silahap.reports.tests.factories import (  # noqa: F401 — re-exported for the tests
    WIB,
    WIT,
    WITA,
    acting_leader,
    at,
    audit_records,
    field_activity,
    officer_in_new_office,
    person,
    place,
    violation_type,
)

# A Tuesday with no holiday; 2025-04-02 is collective leave (cuti bersama Idul Fitri).
DAY = datetime.date(2025, 3, 11)
COLLECTIVE_LEAVE = datetime.date(2025, 4, 2)


def filed_report(
    *, by: User, day: datetime.date, zone, at_place: Place, submit_hour: int = 17
) -> DailyReport:
    activity = field_activity(by=by, started_at=at(9, day=day, zone=zone), place=at_place)
    return reports.report_submit(
        report=activity.report, by=by, now=at(submit_hour, day=day, zone=zone)
    )


def finding_for(*, by: User, started_at: datetime.datetime, at_place: Place) -> Finding:
    activity = field_activity(by=by, started_at=started_at, place=at_place)
    return reports.finding_create(
        by=by,
        client_id=uuid.uuid4(),
        activity=activity,
        violation_type=violation_type(f"test_{uuid.uuid4().hex[:8]}"),
        person=person(by=by, document=f"P{uuid.uuid4().hex[:7].upper()}"),
        description="Working without a permit.",
    )
