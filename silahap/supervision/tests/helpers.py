"""Builders for the supervision tests, through the services like real data."""

from __future__ import annotations

import datetime
import re
import uuid

from django.db import connection
from django.utils import timezone

from silahap.accounts import services as accounts
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
from silahap.supervision import services
from silahap.testing.history import add_history

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


TABLES = "reports_activity|reports_dailyreport|registry_foreignnational"


SCANNED = re.compile(rf"Seq Scan on ({TABLES})\b")


def _today(people):
    for officer in (people.officer_a, people.officer_a2):
        for minutes in (10, 20):
            activity_now(officer, minutes_ago=minutes, place=place(by=officer, name=f"H{minutes}"))


def _history(people, reports):
    oldest = DailyReport.objects.order_by("report_date").values_list("report_date", flat=True)
    return add_history(
        officers=[people.officer_a, people.officer_a2],
        unit=people.team_a,
        decider=people.leader_a,
        reports=reports,
        before=oldest.first(),
    )


def explain(queries: list[str]) -> list[str]:
    """The plans of the SELECTs among `queries`, with sequential scans priced out."""
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in queries:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql.replace("%", "%%"))
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plans


def member(username: str, unit, role: str = "officer", *, run=None) -> User:
    """A new account with a membership in `unit` since 2024; `run` calls the membership's
    creation (a test's `committed`, to commit it and run its after-commit hooks)."""
    user = accounts.user_create(
        by=None, username=username, full_name=username.replace("_", " ").title(), password=None
    )
    (run or (lambda create, **kwargs: create(**kwargs)))(
        accounts.membership_create,
        by=None,
        user=user,
        unit=unit,
        role=role,
        start_date=datetime.date(2024, 1, 1),
    )
    return user


def activity_now(officer, minutes_ago=30, **extra):
    return reports.activity_create(
        by=officer,
        client_id=uuid.uuid4(),
        kind="administrative",
        source="apoa",
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        **extra,
    )


def warrant(people, *, number="SP-01/INTEL/2025", scan=None, members=None):
    return services.warrant_create(
        by=people.leader_a,
        unit=people.section_a,
        number=number,
        issued_on=DAY,
        signer="Kepala Seksi Inteldakim",
        basis="Permenimipas 2/2025",
        targets="Hotel di Tangerang",
        period_start=DAY,
        period_end=DAY + datetime.timedelta(days=6),
        members=members if members is not None else [people.officer_a, people.officer_a2],
        scan=scan,
    )


def task_for(people, work_warrant, **target):
    return services.task_create(
        by=people.leader_a,
        warrant=work_warrant,
        assignee=people.officer_a,
        instructions="Periksa daftar tamu.",
        due_date=DAY + datetime.timedelta(days=1),
        **(target or {"target_area": "Kecamatan Cikokol"}),
    )
