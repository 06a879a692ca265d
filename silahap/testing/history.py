"""Past days of reports and activities, written in bulk, for tests that a page's cost does not
grow with history (query counts at two sizes, EXPLAIN plans). Data volume only: the rows keep
the database's constraints, and the pages under test read them like any other."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from silahap.accounts.models import OrgUnit, User
from silahap.reports.models import Activity, DailyReport

STATUSES = ("approved", "approved", "approved", "submitted", "returned", "draft")


def add_history(
    *,
    officers: list[User],
    unit: OrgUnit,
    decider: User,
    reports: int,
    per_report: int = 2,
    before: datetime.date | None = None,
) -> int:
    """`reports` past reports (one per officer and day, going back from the day before `before`,
    default today, a mix of states, some still waiting for review) with `per_report`
    activities each; returns how many activities were written."""
    today = before or timezone.localdate()
    rows = []
    for index in range(reports):
        officer = officers[index % len(officers)]
        day = today - datetime.timedelta(days=1 + index // len(officers))
        status = STATUSES[index % len(STATUSES)]
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(17)))
        filed = status != "draft"
        rows.append(
            DailyReport(
                officer=officer,
                unit=unit,
                report_date=day,
                status=status,
                revision_number=1 if filed else 0,
                first_submitted_at=at if filed else None,
                submitted_at=at if filed else None,
                decided_at=at if status in ("approved", "returned") else None,
                decided_by=decider if status in ("approved", "returned") else None,
                return_reason="Lengkapi foto." if status == "returned" else "",
            )
        )
    created = DailyReport.objects.bulk_create(rows)
    activities = []
    for report in created:
        for number in range(per_report):
            started = timezone.make_aware(
                datetime.datetime.combine(report.report_date, datetime.time(8 + number))
            )
            activities.append(
                Activity(
                    report=report,
                    client_id=uuid.uuid4(),
                    kind="administrative",
                    source="apoa",
                    started_at=started,
                    ended_at=started + datetime.timedelta(minutes=45),
                )
            )
    Activity.objects.bulk_create(activities, batch_size=500)
    return len(activities)
