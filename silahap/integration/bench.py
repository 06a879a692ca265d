"""Bench rows for `manage.py api_bench`: an office with officers, daily reports and activities,
inserted by set-based SQL on PostgreSQL (marked by the office's code, reused afterwards)."""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from silahap.accounts import services as accounts
from silahap.accounts.models import OrgUnit, User
from silahap.reports.models import Activity, DailyReport

OFFICE_CODE = "BENCH-API-KANIM"
OFFICERS = 200
ACTIVITIES_PER_REPORT = 5


def bench_office() -> OrgUnit:
    office = OrgUnit.objects.filter(code=OFFICE_CODE).first()
    if office is not None:
        return office
    K = OrgUnit.Kind
    dg = OrgUnit.objects.filter(parent__isnull=True).first() or accounts.orgunit_create(
        by=None, kind=K.DIRECTORATE_GENERAL, code="BENCH-API-DJI", name="Bench DJI", parent=None
    )
    kanwil = accounts.orgunit_create(
        by=None, kind=K.REGIONAL_OFFICE, code="BENCH-API-KW", name="Bench Kanwil", parent=dg
    )
    return accounts.orgunit_create(
        by=None,
        kind=K.IMMIGRATION_OFFICE,
        code=OFFICE_CODE,
        name="Bench Kanim",
        parent=kanwil,
        office_class="I",
        timezone_name="Asia/Jakarta",
        report_deadline=datetime.time(20, 0),
    )


def ensure_activities(wanted: int, progress) -> tuple[OrgUnit, int]:
    """At least `wanted` activities in the bench office, in approved daily reports."""
    office = bench_office()
    have = Activity.objects.filter(report__unit=office).count()
    if have >= wanted:
        return office, 0
    officers = list(User.objects.filter(username__startswith="bench.api.").order_by("id"))
    if not officers:
        password = make_password(None)
        User.objects.bulk_create(
            User(
                username=f"bench.api.{n}",
                full_name=f"Bench Officer {n}",
                password=password,
            )
            for n in range(OFFICERS + 1)
        )
        officers = list(User.objects.filter(username__startswith="bench.api.").order_by("id"))
    decider, officers = officers[0], officers[1:]
    days = -(-(wanted - have) // (len(officers) * ACTIVITIES_PER_REPORT))
    first_day = timezone.localdate() - datetime.timedelta(days=1)
    done_days = DailyReport.objects.filter(unit=office).values("report_date").distinct().count()
    reports, activities = DailyReport._meta.db_table, Activity._meta.db_table
    with connection.cursor() as cursor:
        for day_offset in range(done_days, done_days + days):
            day = first_day - datetime.timedelta(days=day_offset)
            cursor.execute(
                f"INSERT INTO {reports} (officer_id, unit_id, report_date, status, revision_number,"  # noqa: S608
                " first_submitted_at, submitted_at, is_late, decided_at, decided_by_id,"
                " return_reason, correction_reason, created_at, updated_at)"
                " SELECT u.id, %s, %s, 'approved', 1, now(), now(), false, now(), %s, '', '',"
                " now(), now() FROM unnest(%s::bigint[]) AS u(id)",
                [office.pk, day, decider.pk, [officer.pk for officer in officers]],
            )
            cursor.execute(
                f"INSERT INTO {activities} (report_id, client_id, kind, source, classification,"  # noqa: S608
                " warrant_number, warrant_to_follow, started_at, location_source, description,"
                " conclusion, recommendation, created_at, updated_at)"
                f" SELECT r.id, md5(r.id::text || '-' || k)::uuid, 'administrative',"
                " 'independent', 'open', 'SP-BENCH', false, %s::date + interval '9 hours', 'none',"
                " 'Pemeriksaan rutin', '', '', now(), now()"
                f" FROM {reports} r, generate_series(1, %s) AS k"
                " WHERE r.unit_id = %s AND r.report_date = %s",
                [day, ACTIVITIES_PER_REPORT, office.pk, day],
            )
            if day_offset % 50 == 0:
                progress(f"  report days: {day_offset - done_days + 1} / {days}")
        cursor.execute(f"ANALYZE {reports}")
        cursor.execute(f"ANALYZE {activities}")
    return office, Activity.objects.filter(report__unit=office).count() - have
