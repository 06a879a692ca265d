"""`manage.py api_bench` (make bench): the API's two measured pages on the configured database.

- The event feed page (100 events) at a large number of events, from cursors at the start, the
  middle and the end of the feed: p95 must stay under 20 ms wherever the cursor is.
- The reports list page (50 reports, an analyst-scoped client) beside the raw SQL of the same
  page: p95 within 1.5 × the raw SQL + 10 ms.

Bench rows are generated the first time (marked, reused afterwards) with set-based SQL. A
benchmark, not a test: it exits non-zero for a missed target only with --strict.
"""

from __future__ import annotations

import datetime
import os
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.db import connection as db
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from silahap.accounts.models import OrgUnit, User
from silahap.events.models import BusinessEvent, SpineCursor
from silahap.integration import bench
from silahap.integration.models import ApiClient
from silahap.integration.services.clients import (
    api_client_approve,
    api_client_register,
    api_token_issue,
)
from silahap.reports.models import Activity

BENCH_OBJECT_TYPE = "bench.event"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def ensure_events(wanted: int, progress) -> int:
    """Bench events numbered after the real ones, inserted in batches by the database itself."""
    have = BusinessEvent.objects.filter(object_type=BENCH_OBJECT_TYPE).count()
    missing = wanted - have
    if missing <= 0:
        return 0
    table = BusinessEvent._meta.db_table
    batch = 1_000_000
    done = 0
    while done < missing:
        size = min(batch, missing - done)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(position), 0) FROM {table}")  # noqa: S608
            start = cursor.fetchone()[0]
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {table} (type, occurred_at, actor_id, object_type, object_id,"  # noqa: S608
                    " unit_path, payload, position, handled_at)"
                    " SELECT 'report.submitted', now(), NULL, %s, n::text, '/1/', '{}'::jsonb,"
                    " %s + n, now() FROM generate_series(1, %s) AS n",
                    [BENCH_OBJECT_TYPE, start, size],
                )
            else:
                cursor.execute(
                    f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %s)"  # noqa: S608
                    f" INSERT INTO {table} (type, occurred_at, actor_id, object_type, object_id,"
                    " unit_path, payload, position, handled_at)"
                    " SELECT 'report.submitted', datetime('now'), NULL, %s, CAST(n AS TEXT),"
                    " '/1/', '{}', %s + n, datetime('now') FROM s",
                    [size, BENCH_OBJECT_TYPE, start],
                )
            cursor.execute(f"SELECT MAX(position) FROM {table}")  # noqa: S608
            top = cursor.fetchone()[0]
        SpineCursor.objects.update_or_create(pk=1, defaults={"position": top})
        done += size
        progress(f"  events: {have + done:,} / {wanted:,}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
    return missing


class Command(BaseCommand):
    help = "Measure the API's event feed and reports list pages (p95) on the configured database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--events",
            type=int,
            default=None,
            help="default 10,000,000 on PostgreSQL, 1,000,000 elsewhere",
        )
        parser.add_argument("--activities", type=int, default=1_000_000)
        parser.add_argument("--queries", type=int, default=200)
        parser.add_argument("--strict", action="store_true")

    def handle(self, *args, **options):
        wanted = options["events"] or (
            10_000_000 if connection.vendor == "postgresql" else 1_000_000
        )
        self.stdout.write(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
        started = time.perf_counter()
        added = ensure_events(wanted, self.stdout.write)
        if added:
            self.stdout.write(
                f"generated {added:,} events in {time.perf_counter() - started:,.0f} s"
            )
        total = BusinessEvent.objects.count()

        bench.bench_office()
        root = OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()

        admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            username="api-bench-root", password=None, full_name="API bench"
        )
        client = api_client_register(
            by=admin,
            name="api bench",
            unit=root,
            resources=["units", "reports", "events"],
            requests_per_minute=6000,
        )
        client = api_client_approve(by=admin, client=client)
        token = api_token_issue(by=admin, client=client, valid_days=1).raw
        http = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        feed = reverse("integration:events")
        top = BusinessEvent.objects.order_by("-position").values_list("position", flat=True).first()
        missed = False
        with override_settings(DEBUG=False):
            for label, cursor in (("start", 0), ("middle", top // 2), ("end", max(0, top - 100))):
                samples = []
                for _n in range(options["queries"]):
                    begun = time.perf_counter()
                    response = http.get(feed, {"after": cursor, "limit": 100})
                    samples.append((time.perf_counter() - begun) * 1000)
                    assert response.status_code == 200
                result = p95(samples)
                missed |= result > 20
                self.stdout.write(
                    f"event feed, {total:,} events, cursor at {label}: p50 "
                    f"{statistics.median(samples):.1f} ms, p95 {result:.1f} ms (target ≤ 20 ms)"
                )
            self.bench_reports(http, options)
        api_client_revoke_quietly(client)
        if missed and options["strict"]:
            raise SystemExit(1)

    def bench_reports(self, http, options) -> None:
        """Yesterday's approved reports of an office: the API page beside its raw SQL."""
        if db.vendor != "postgresql":
            self.stdout.write("reports list: measured on PostgreSQL only")
            return
        office, added = bench.ensure_activities(options["activities"], self.stdout.write)
        if added:
            self.stdout.write(f"generated {added:,} activities")

        count = Activity.objects.filter(report__unit=office).count()
        day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        url = reverse("integration:report-list")
        params = {"unit": office.pk, "status": "approved", "date_from": day, "date_to": day}
        http.get(url, params)
        with CaptureQueriesContext(db) as captured:
            http.get(url, params)
        page_sql = [
            q["sql"] for q in captured.captured_queries if "reports_dailyreport" in q["sql"]
        ]
        api, raw = [], []
        for _n in range(options["queries"]):
            begun = time.perf_counter()
            assert http.get(url, params).status_code == 200
            api.append((time.perf_counter() - begun) * 1000)
            begun = time.perf_counter()
            with db.cursor() as cursor:
                for sql in page_sql:
                    cursor.execute(sql)
                    cursor.fetchall()
            raw.append((time.perf_counter() - begun) * 1000)
        target = 1.5 * p95(raw) + 10
        self.stdout.write(
            f"reports list, {count:,} activities in the office: "
            f"API p50 {statistics.median(api):.1f} ms,"
            f" p95 {p95(api):.1f} ms; raw SQL p95 {p95(raw):.1f} ms; target ≤ {target:.1f} ms"
            f" (load average {os.getloadavg()[0]:.2f})"
        )


def api_client_revoke_quietly(client) -> None:
    ApiClient.objects.filter(pk=client.pk).update(revoked_at=client.registered_at)
