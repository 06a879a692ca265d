"""The demo's rollups: rebuilt from the seeded reports at the end of seed_demo, so every
evaluation page shows the demo month at once (the events of the seed's writes would fill them
too, but only once the task worker has run them all)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from silahap.demo.reports import WINDOW_DAYS
from silahap.insights import rollups


def seed_insights(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Rebuild every rollup and the missing reports of the demo window; the same on each run."""
    today = timezone.localdate(now or timezone.now())
    return rollups.recompute_all(missing_since=today - datetime.timedelta(days=WINDOW_DAYS))
