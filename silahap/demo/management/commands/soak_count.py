"""`manage.py soak_count TAG` (make soak): every activity the soak's run filed, as JSON on
standard output: its client id, its pk, how many rows carry that id and how many photos it has.

The run marks its activities with the warrant number `SP-SOAK-<TAG>`, so this finds all of them,
also any the load tool never saw acknowledged, or one it did not send at all (a duplicate would
come back that way). bin/soak compares the answer with what the load tool saw
(silahap/demo/soak/report.py: count_check).
"""

from __future__ import annotations

import json
from collections import Counter

from django.core.management.base import BaseCommand
from django.db.models import Count

from silahap.reports.models import Activity

WARRANT_PREFIX = "SP-SOAK-"


class Command(BaseCommand):
    help = "The soak run's activities in the database, by client id (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("tag")

    def handle(self, *args, tag, **options):
        rows = list(
            Activity.objects.filter(warrant_number=WARRANT_PREFIX + tag)
            .annotate(photos=Count("evidence"))
            .values_list("client_id", "pk", "photos")
        )
        per_key = Counter(str(client_id) for client_id, _, _ in rows)
        found = {
            str(client_id): {
                "activities": per_key[str(client_id)],
                "activity": pk,
                "photos": photos,
            }
            for client_id, pk, photos in rows
        }
        self.stdout.write(json.dumps(found))
