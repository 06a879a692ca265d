"""`manage.py bench_insights` (make bench): the evaluation pages over a generated year of
rollups for many offices, each timed beside its own SQL sent raw. A benchmark, not a test."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection

from silahap.insights.bench import export_bench, rollup_bench
from silahap.insights.bench.run import describe_database


class Command(BaseCommand):
    help = "Measure the league, office and officer pages over generated rollups."

    def add_arguments(self, parser):
        parser.add_argument("--offices", type=int, default=125)
        parser.add_argument("--officers", type=int, default=8, help="officers per office")
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument(
            "--per-day",
            type=int,
            default=1,
            help="multiply each officer-day's activities and checks (5, with --officers 24: "
            "about 10,000,000 activities)",
        )
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument(
            "--no-daily-baseline",
            action="store_true",
            help="skip timing each whole-month page again from the daily rows only (slow at 10M)",
        )
        parser.add_argument(
            "--export",
            action="store_true",
            help="also time the streamed activities CSV against COPY (needs seed_demo --scale)",
        )
        parser.add_argument(
            "--only-export",
            action="store_true",
            help="time the CSV export alone (a fresh process, so its peak memory is its own)",
        )

    def handle(self, *args, **options):
        self.stdout.write(f"database: {describe_database()} ({connection.vendor})")
        if options["only_export"]:
            for line in export_bench.report():
                self.stdout.write(line)
            return
        scale = rollup_bench.Scale(
            offices=options["offices"],
            officers=options["officers"],
            days=options["days"],
            per_day=options["per_day"],
        )
        for line in rollup_bench.report(
            scale,
            runs=options["runs"],
            seed=options["seed"],
            progress=self.stdout.write,
            daily_baseline=not options["no_daily_baseline"],
        ):
            self.stdout.write(line)
        if options["export"]:
            for line in export_bench.report():
                self.stdout.write(line)
