"""`manage.py rollups_recompute`: rebuild every rollup from the reports (after a bulk load that
bypassed the services, or as a repair), with the missing reports of the last N days."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from silahap.insights import bulk_rollups, rollups


class Command(BaseCommand):
    help = "Rebuild the insights rollups from scratch."

    def add_arguments(self, parser):
        parser.add_argument("--missing-days", type=int, default=31)
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="only refresh the missing reports of the last N days (a repair: the scheduler's "
            "deadline.passed event keeps them current, looking back a week)",
        )
        parser.add_argument(
            "--map-cells",
            action="store_true",
            help="only count the map's wide cells again from the unit-months (after a rolling "
            "update from a release without them, once no old worker is left)",
        )

    def handle(self, *args, missing_days=31, missing_only=False, map_cells=False, **options):
        started = time.perf_counter()
        if map_cells:
            bulk_rollups.refill_wide_cells()
            self.stdout.write(f"map cells counted again in {time.perf_counter() - started:.1f} s")
            return
        since = timezone.localdate() - datetime.timedelta(days=max(missing_days, 0))
        if missing_only:
            result = {"reports": 0, "missing": rollups.refresh_all_missing(since=since)}
        else:
            result = rollups.recompute_all(missing_since=since)
        self.stdout.write(
            f"rollups: {result['reports']} reports, {result['missing']} missing reports "
            f"in {time.perf_counter() - started:.1f} s"
        )
