"""`manage.py operations_bench`: the national roll-up page's p95 next to its own SQL replayed raw.

Builds the data in a transaction and rolls it back, so it runs on any database (the demo's too).
"""

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from silahap.operations import bench


class Command(BaseCommand):
    help = "Time the national roll-up at scale (125 offices, 100,000 checks by default)."

    def add_arguments(self, parser):
        parser.add_argument("--offices", type=int, default=125)
        parser.add_argument("--checks", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, offices, checks, runs, **options):
        with transaction.atomic():
            root, analyst = bench.build(offices=offices, checks=checks)
            result = bench.measure(root, analyst, runs=runs)
            transaction.set_rollback(True)
        self.stdout.write(json.dumps(result, indent=2))
