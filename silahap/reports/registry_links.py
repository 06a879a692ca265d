"""What reports knows about the registry's persons, handed down to it (silahap.registry.links):
who was checked at a place, in which activity or report, and the office of the latest check."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from silahap.registry import links
from silahap.reports.models import Activity, Check, DailyReport


@links.provide_seen_at
def checked_at(places: QuerySet) -> Q:
    return Q(Exists(Check.objects.filter(person=OuterRef("pk"), activity__place__in=places)))


@links.provide_check_office
def latest_check_office() -> QuerySet:
    """The office of the latest check (latest by the activity's start, then the check's id)
    made by a unit within an office; migration registry 0008 backfilled by this rule too."""
    return (
        Check._base_manager.filter(
            person=OuterRef("pk"), activity__report__unit__office__isnull=False
        )
        .order_by("-activity__started_at", "-pk")
        .values("activity__report__unit__office")[:1]
    )


def _checked_in_activity(user, person, pk: int) -> bool:
    return Activity.objects.visible_to(user).filter(pk=pk, checks__person=person).exists()


def _checked_in_report(user, person, pk: int) -> bool:
    return (
        DailyReport.objects.visible_to(user)
        .filter(pk=pk, activities__checks__person=person)
        .exists()
    )


links.provide_source("activity", _checked_in_activity)
links.provide_source("report", _checked_in_report)
