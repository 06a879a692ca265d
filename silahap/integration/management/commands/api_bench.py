"""`manage.py api_bench` (make bench): the API's two measured pages on the configured database.

- The event feed page (100 events) at a large number of events, from cursors at the start, the
  middle and the end of the feed: p95 must stay under 20 ms wherever the cursor is.
- The reports list page (50 reports, an analyst-scoped client) beside the raw SQL of the same
  page: p95 within 1.5 × the raw SQL + 10 ms. Printed against both readings of "the raw SQL of
  the page": its list query alone, and every statement the page runs (the token's lookup, the
  scope, the list, the read's audit row with its commit), replayed in the same run.

Bench rows are generated the first time (marked, reused afterwards) with set-based SQL. A
benchmark, not a test: it exits non-zero for a missed target only with --strict.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.db import connection as db
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from silahap.accounts.models import OrgUnit, User
from silahap.audit.models import AuditEvent
from silahap.deploy import settle_served_process
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
        # Max, not the first by "-position": PostgreSQL sorts events not yet numbered first.
        top = BusinessEvent.objects.aggregate(top=Max("position"))["top"] or 0
        missed = False
        with override_settings(DEBUG=False):
            http.get(feed, {"after": 0, "limit": 100})
            # As in every served process (silahap/wsgi.py): the loaded code out of the GC's sweeps.
            settle_served_process()
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
        statements = [(q["sql"], q.get("raw_sql")) for q in captured.captured_queries]
        listing = [sql for sql, _raw in statements if "reports_dailyreport" in sql]
        api, raw_list, raw_page = [], [], []
        with page_statements(statements) as replay_page:
            for _n in range(options["queries"]):
                begun = time.perf_counter()
                assert http.get(url, params).status_code == 200
                api.append((time.perf_counter() - begun) * 1000)
                begun = time.perf_counter()
                with db.cursor() as cursor:
                    for sql in listing:
                        cursor.execute(sql)
                        cursor.fetchall()
                raw_list.append((time.perf_counter() - begun) * 1000)
                begun = time.perf_counter()
                replay_page()
                raw_page.append((time.perf_counter() - begun) * 1000)
        self.stdout.write(
            f"reports list, {count:,} activities in the office: API p50"
            f" {statistics.median(api):.1f} ms, p95 {p95(api):.1f} ms"
            f" (load average {os.getloadavg()[0]:.2f})"
        )
        self.stdout.write(
            f"  against the list query alone: raw SQL p95 {p95(raw_list):.1f} ms,"
            f" target ≤ {1.5 * p95(raw_list) + 10:.1f} ms"
        )
        self.stdout.write(
            f"  against all {len(statements)} statements of the page (token, scope, list, the"
            f" read's audit row committed): raw SQL p95 {p95(raw_page):.1f} ms,"
            f" target ≤ {1.5 * p95(raw_page) + 10:.1f} ms"
        )


@contextlib.contextmanager
def page_statements(statements):
    """Replay every statement the page ran, as one client would, each committed on its own.

    The audit row goes into a scratch copy of the audit table (same columns, indexes and WAL, so
    the same commit), not into the trail itself: the bench must not leave fake reads there."""
    audit_table = AuditEvent._meta.db_table
    scratch = "api_bench_audit_copy"
    with db.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        cursor.execute(f"CREATE TABLE {scratch} (LIKE {audit_table} INCLUDING ALL)")
    replayed = [sql.replace(f'"{audit_table}"', scratch) for sql, _raw in statements]

    def replay() -> None:
        with db.cursor() as cursor:
            for sql in replayed:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()

    try:
        yield replay
    finally:
        with db.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {scratch}")


def api_client_revoke_quietly(client) -> None:
    ApiClient.objects.filter(pk=client.pk).update(revoked_at=client.registered_at)
