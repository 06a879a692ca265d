"""Measure the streamed activities CSV against PostgreSQL's COPY of the same columns.

Needs the demo (seed_demo) and bulk activities (seed_demo --scale N) in the database. The CSV is
read through the page (test client, streamed), its time beside `COPY (...) TO STDOUT` of the
plain select of the same rows and columns (the scoped query the page reads); the process's peak
memory is read before and after (ru_maxrss).
"""

from __future__ import annotations

import resource
import time

from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from silahap.accounts.models import OrgUnit, User
from silahap.insights import exports, periods
from silahap.reports.models import Activity

TARGET_RATIO = 3.0
EXPORT_FIELDS = (
    "pk",
    "report__report_date",
    "report__officer__username",
    "report__unit__code",
    "kind",
    "source",
    "started_at",
    "ended_at",
    "place__name",
    "latitude",
    "longitude",
)
TARGET_MEMORY_MB = 100


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(*, username: str = "analis.pusat", unit_code: str = "DJI") -> list[str]:
    user = User.objects.filter(username=username).first()
    root = OrgUnit.objects.filter(code=unit_code).first()
    if user is None or root is None:
        return [f"export: skipped (no {username} / {unit_code}: run seed_demo --scale 100000)"]
    first = (
        Activity.objects.order_by("report__report_date")
        .values_list("report__report_date", flat=True)
        .first()
    )
    last = (
        Activity.objects.order_by("-report__report_date")
        .values_list("report__report_date", flat=True)
        .first()
    )
    if first is None or last is None:
        return ["export: skipped (no activities)"]
    period = f"{first.isoformat()}..{last.isoformat()}"
    client = Client()
    client.force_login(user)
    url = reverse("insights:unit_rows_csv", args=[root.pk, "activities"]) + f"?p={period}"
    before = _peak_mb()
    with override_settings(DEBUG=False):
        started = time.perf_counter()
        response = client.get(url)
        assert isinstance(response, StreamingHttpResponse)
        size, lines = 0, 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        page_s = time.perf_counter() - started
    peak = _peak_mb() - before
    copy_s = None
    if connection.vendor == "postgresql":
        # COPY of the plain select of the same rows and columns (the scoped query the page
        # reads), whatever the page does with it.
        rows = exports.rows_of(user, root, periods.custom(first, last), "activities")
        select, params = (
            exports.activities_for_export(rows)
            .order_by("pk")
            .values_list(*EXPORT_FIELDS)
            .query.sql_with_params()
        )
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY ({select}) TO STDOUT WITH CSV", params) as copy,
        ):
            for _data in copy:
                pass
        copy_s = time.perf_counter() - started
    ratio = page_s / copy_s if copy_s else 0
    verdict = "ok" if (copy_s and ratio <= TARGET_RATIO and peak <= TARGET_MEMORY_MB) else "MISSED"
    return [
        f"activities CSV: {lines - 1:,} rows, {size / 1e6:.1f} MB in {page_s:.2f} s; "
        f"COPY of the same query {copy_s or 0:.2f} s; ratio {ratio:.2f}; "
        f"peak memory +{peak:.0f} MB "
        f"(targets ratio <= {TARGET_RATIO}, memory <= {TARGET_MEMORY_MB} MB) {verdict}"
    ]
