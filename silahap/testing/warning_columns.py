"""The warning columns every person carries, read back and computed from scratch, for the tests
that check every write path (and the bulk generator) keeps them."""

from __future__ import annotations

import datetime

from silahap.registry.models import ForeignNational, StayPermit
from silahap.reports.models import Check


def from_scratch() -> dict[int, tuple]:
    """Each person's columns computed here, in Python, independently of the UPDATE that keeps
    them: the latest dated permit's end; the office of the latest check (activity start, then
    check id) by a unit within an office."""
    ends: dict[int, datetime.date] = {}
    for person_id, until in StayPermit.objects.filter(valid_until__isnull=False).values_list(
        "person_id", "valid_until"
    ):
        ends[person_id] = max(until, ends.get(person_id, until))
    latest: dict[int, tuple] = {}
    for person_id, started, pk, office_id in Check.objects.filter(
        activity__report__unit__office__isnull=False
    ).values_list("person_id", "activity__started_at", "pk", "activity__report__unit__office_id"):
        if person_id not in latest or (started, pk) > latest[person_id][0]:
            latest[person_id] = ((started, pk), office_id)
    return {
        pk: (ends.get(pk), latest[pk][1] if pk in latest else None)
        for pk in ForeignNational._base_manager.values_list("pk", flat=True)
    }


def stored() -> dict[int, tuple]:
    return {
        pk: (until, office_id)
        for pk, until, office_id in ForeignNational._base_manager.values_list(
            "pk", "permit_valid_until", "last_check_office_id"
        )
    }
