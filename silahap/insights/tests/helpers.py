"""Builders for the insights tests: data through the services, events dispatched like the worker."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable

from django.db import connections, transaction

from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.insights import rollups
from silahap.insights.models import (
    DailyCount,
    DailyValue,
    MonthlyCount,
    MonthlyValue,
    OfficerMonthCount,
    OfficerSeen,
    SubtreeCount,
    SubtreeMonthSeen,
    SubtreeSeen,
    SubtreeTally,
    SubtreeYearTally,
)


def drain(limit: int = 20) -> int:
    """Dispatch every unhandled event as the worker does (the spine's drain, each subscriber
    once per batch), again until none is left (a subscriber may record more); returns how many
    events were read."""
    read = 0
    for _round in range(limit):
        if not BusinessEvent.objects.filter(handled_at__isnull=True).exists():
            return read
        read += spine.drain(limit=1_000_000)
    raise AssertionError("events keep coming")


def snapshot() -> tuple[set, ...]:
    """Every rollup row, daily and monthly, as comparable tuples."""
    counts = set(
        DailyCount.objects.values_list(
            "officer_id", "day", "unit_id", "unit_path", "metric", "dimension", "value"
        )
    )
    values = set(
        DailyValue.objects.values_list("officer_id", "day", "unit_id", "unit_path", "kind", "value")
    )
    monthly_counts = set(
        MonthlyCount.objects.values_list(
            "unit_id", "day", "unit_path", "metric", "dimension", "value"
        )
    )
    monthly_values = set(
        MonthlyValue.objects.values_list("unit_id", "day", "unit_path", "kind", "value")
    )
    # A run kept at 0 after increments is the same as no row (a rebuild leaves none).
    seen = set(
        SubtreeSeen.objects.exclude(value=0).values_list(
            "unit_id", "unit_path", "depth", "kind", "day", "previous", "value"
        )
    )
    tallies = set(
        SubtreeTally.objects.exclude(count=0).values_list(
            "unit_id", "unit_path", "depth", "kind", "day", "value", "count"
        )
    )
    officer_seen = set(
        OfficerSeen.objects.exclude(value=0).values_list(
            "officer_id", "unit_id", "unit_path", "depth", "kind", "day", "previous", "value"
        )
    )
    year_tallies = set(
        SubtreeYearTally.objects.exclude(count=0).values_list(
            "unit_id", "unit_path", "depth", "kind", "day", "value", "count"
        )
    )
    subtree_counts = set(
        SubtreeCount.objects.exclude(value=0).values_list(
            "unit_id", "unit_path", "depth", "kind", "day", "dimension", "value"
        )
    )
    month_seen = set(
        SubtreeMonthSeen.objects.exclude(value=0).values_list(
            "unit_id", "unit_path", "depth", "kind", "day", "value"
        )
    )
    officer_months = set(
        OfficerMonthCount.objects.values_list(
            "officer_id", "unit_id", "unit_path", "day", "metric", "dimension", "value"
        )
    )
    return (
        counts,
        values,
        monthly_counts,
        monthly_values,
        seen,
        tallies,
        officer_seen,
        year_tallies,
        subtree_counts,
        month_seen,
        officer_months,
    )


def from_scratch(missing_since: datetime.date | None = None) -> tuple[set, ...]:
    """The rollups recomputed from nothing, then put back as they were."""
    kept = snapshot()
    rollups.recompute_all(missing_since=missing_since)
    fresh = snapshot()
    DailyCount.objects.all().delete()
    DailyValue.objects.all().delete()
    MonthlyCount.objects.all().delete()
    MonthlyValue.objects.all().delete()
    SubtreeSeen.objects.all().delete()
    SubtreeTally.objects.all().delete()
    OfficerSeen.objects.all().delete()
    SubtreeYearTally.objects.all().delete()
    SubtreeCount.objects.all().delete()
    SubtreeMonthSeen.objects.all().delete()
    OfficerMonthCount.objects.all().delete()
    DailyCount.objects.bulk_create(
        [
            DailyCount(
                officer_id=o, day=d, unit_id=u, unit_path=p, metric=m, dimension=dim, value=v
            )
            for o, d, u, p, m, dim, v in kept[0]
        ]
    )
    DailyValue.objects.bulk_create(
        [
            DailyValue(officer_id=o, day=d, unit_id=u, unit_path=p, kind=k, value=v)
            for o, d, u, p, k, v in kept[1]
        ]
    )
    MonthlyCount.objects.bulk_create(
        [
            MonthlyCount(unit_id=u, day=d, unit_path=p, metric=m, dimension=dim, value=v)
            for u, d, p, m, dim, v in kept[2]
        ]
    )
    MonthlyValue.objects.bulk_create(
        [MonthlyValue(unit_id=u, day=d, unit_path=p, kind=k, value=v) for u, d, p, k, v in kept[3]]
    )
    SubtreeSeen.objects.bulk_create(
        [
            SubtreeSeen(
                unit_id=u, unit_path=p, depth=depth, kind=k, day=d, previous=before, value=v
            )
            for u, p, depth, k, d, before, v in kept[4]
        ]
    )
    SubtreeTally.objects.bulk_create(
        [
            SubtreeTally(unit_id=u, unit_path=p, depth=depth, kind=k, day=d, value=v, count=n)
            for u, p, depth, k, d, v, n in kept[5]
        ]
    )
    OfficerSeen.objects.bulk_create(
        [
            OfficerSeen(
                officer_id=o,
                unit_id=u,
                unit_path=p,
                depth=depth,
                kind=k,
                day=d,
                previous=before,
                value=v,
            )
            for o, u, p, depth, k, d, before, v in kept[6]
        ]
    )
    SubtreeYearTally.objects.bulk_create(
        [
            SubtreeYearTally(unit_id=u, unit_path=p, depth=depth, kind=k, day=d, value=v, count=n)
            for u, p, depth, k, d, v, n in kept[7]
        ]
    )
    SubtreeCount.objects.bulk_create(
        [
            SubtreeCount(unit_id=u, unit_path=p, depth=depth, kind=k, day=d, dimension=dim, value=v)
            for u, p, depth, k, d, dim, v in kept[8]
        ]
    )
    SubtreeMonthSeen.objects.bulk_create(
        [
            SubtreeMonthSeen(unit_id=u, unit_path=p, depth=depth, kind=k, day=d, value=v)
            for u, p, depth, k, d, v in kept[9]
        ]
    )
    OfficerMonthCount.objects.bulk_create(
        [
            OfficerMonthCount(
                officer_id=o, unit_id=u, unit_path=p, day=d, metric=m, dimension=dim, value=v
            )
            for o, u, p, d, m, dim, v in kept[10]
        ]
    )
    return fresh


def two_workers(first: Callable[[], None], second: Callable[[], None]) -> None:
    """Run `first` and `second` in two transactions on two connections, the second started
    while the first still holds whatever it locked (its writes not committed), then let the
    first commit: what a lock must make the second wait for."""
    first_done, first_commits = threading.Event(), threading.Event()

    def run_first() -> None:
        try:
            with transaction.atomic():
                first()
                first_done.set()
                first_commits.wait(10)
        finally:
            connections.close_all()

    def run_second() -> None:
        try:
            with transaction.atomic():
                second()
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    workers[0].start()
    assert first_done.wait(10)
    workers[1].start()
    time.sleep(0.5)  # the second is waiting for the first's lock
    first_commits.set()
    for worker in workers:
        worker.join(20)
