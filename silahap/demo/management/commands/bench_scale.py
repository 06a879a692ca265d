"""`manage.py bench_scale` (make bench): pages at 100,000 and 1,000,000 activities by default;
`--scales 100000 10000000` when asked (make bench BENCH_SCALE_ARGS=…)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from silahap.demo.bench import run


class Command(BaseCommand):
    help = "Page p50/p95 beside their raw SQL at several data sizes, and their growth."

    def add_arguments(self, parser):
        parser.add_argument("--scales", type=int, nargs="+", default=[100_000, 1_000_000])
        parser.add_argument("--runs", type=int, default=50, help="requests per page and scale")
        parser.add_argument(
            "--pages",
            nargs="+",
            default=[],
            metavar="WORDS",
            help="only the pages whose label holds one of these (e.g. warnings places)",
        )

    def handle(self, *args, scales, runs, pages, **options):
        if settings.SILAHAP_ENV == "production":
            raise CommandError("bench_scale generates demo data; not with SILAHAP_ENV=production")
        if runs < 2 or any(scale < 1 for scale in scales):
            raise CommandError("--runs must be at least 2 and every scale at least 1")

        run(scales, runs, self.stdout.write, only=pages)
