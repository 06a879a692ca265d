"""`manage.py bench` (make bench): person search measured on the configured database.

Generates the persons it needs the first time (marked, and reused afterwards), then prints the
p50 and p95 of search_persons beside the same query sent as raw SQL, and recall@5 on misspelt
names. A benchmark, not a test: it exits non-zero for a missed target only with --strict.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from silahap.insights.bench import population, run
from silahap.registry.models import ForeignNational

DEFAULT_PERSONS = {"postgresql": 1_000_000}
# SQLite is the single-office database; its search path scans, so it is measured smaller.
DEFAULT_PERSONS_OTHER = 100_000


class Command(BaseCommand):
    help = "Measure person search (latency beside raw SQL, recall@5) on the configured database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons",
            type=int,
            default=None,
            help="bench persons wanted (generated when fewer exist); "
            "default 1,000,000 on PostgreSQL, 100,000 elsewhere",
        )
        parser.add_argument("--queries", type=int, default=300, help="queries of each kind")
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument(
            "--strict", action="store_true", help="exit non-zero when a target is missed"
        )

    def handle(self, *args, **options):
        wanted = options["persons"] or DEFAULT_PERSONS.get(connection.vendor, DEFAULT_PERSONS_OTHER)
        if wanted < options["queries"]:
            raise CommandError("--persons must be at least --queries")
        self.stdout.write(f"database: {run.describe_database()}")
        started = time.perf_counter()
        added = population.ensure_persons(wanted, seed=options["seed"], progress=self.stdout.write)
        if added:
            self.stdout.write(
                f"generated {added:,} persons in {time.perf_counter() - started:,.0f} s"
            )

        self.stdout.write(
            f"persons: {ForeignNational.objects.count():,} "
            f"({population.bench_persons().count():,} generated for the benchmark)"
        )
        self.stdout.write(
            f"{options['queries']} queries of each kind after {run.WARM_UP} to warm up; "
            "DEBUG off as in production; p95 by nearest rank"
        )
        # As in production: with DEBUG on, Django logs every statement, which costs time.
        with override_settings(DEBUG=False):
            outcome = run.report(queries=options["queries"], seed=options["seed"])
        for line in outcome.lines:
            self.stdout.write(line)
        if outcome.missed and options["strict"]:
            raise CommandError("missed: " + "; ".join(outcome.missed))
