"""Reports' sections of the registry's pages (silahap/sections): a person's timeline (where and
when they were checked, with its map) and a place's history (the foreigners seen there and the
activities there). They read checks and activities, which the registry below may not import.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from silahap.accounts import access
from silahap.registry.models import ForeignNational, Place
from silahap.reports.models import Activity, Check, Classification, Finding
from silahap.sections import registry as sections

# A person's timeline shows this many checks, the latest first; older ones stay in the reports.
TIMELINE_LENGTH = 200
# The place page names at most this many foreigners, the latest seen first.
SEEN_THERE = 50
# Activities at a place per page.
PAGE_SIZE = 20


@dataclass
class TimelineEntry:
    """One check of the person; `shown` is False for a closed activity the user may not read."""

    check: Check
    shown: bool
    linked: bool

    @property
    def activity(self):
        return self.check.activity

    @property
    def zone(self):
        """The time zone of the office that made the check: its time as the officer lived it."""
        unit = self.check.activity.report.unit
        return (unit.office or unit).zone

    @property
    def point(self) -> tuple[float, float] | None:
        activity = self.check.activity
        if activity.latitude is not None and activity.longitude is not None:
            return float(activity.latitude), float(activity.longitude)
        place = activity.place
        if place is not None and place.latitude is not None and place.longitude is not None:
            return float(place.latitude), float(place.longitude)
        return None


def person_timeline(person: ForeignNational, user) -> list[TimelineEntry]:
    """Every check of the person, latest first, across all offices (the registry is national).

    A closed (intelligence) activity's check is listed without its details to anyone but its
    author and the leaders above; a link to the activity is offered only to who may open it.
    """
    checks = list(
        Check.objects.filter(person=person)
        .select_related(
            "activity__report__unit__office",
            "activity__report__officer",
            "activity__place__regency",
            "permit",
        )
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("violation_type"))
        )
        .order_by("-activity__started_at", "-pk")[:TIMELINE_LENGTH]
    )
    openable = set(
        Activity.objects.visible_to(user)
        .filter(pk__in={check.activity_id for check in checks})
        .values_list("pk", flat=True)
    )
    return [
        TimelineEntry(
            check=check,
            shown=access.can(user, "read_details", check.activity),
            linked=check.activity_id in openable,
        )
        for check in checks
    ]


def map_points(entries: list[TimelineEntry]) -> list[dict]:
    """Where the person was seen, for the map: only checks whose details the user may read."""
    points = []
    for entry in entries:
        point = entry.point if entry.shown else None
        if point is not None:
            activity = entry.activity
            label = timezone.localtime(activity.started_at, entry.zone).strftime("%d-%m-%Y")
            if activity.place is not None:
                label = f"{label} · {activity.place.name}"
            points.append({"lat": point[0], "lng": point[1], "label": label})
    return points


def person_section(request, *, person: ForeignNational) -> dict:
    timeline = person_timeline(person, request.user)
    return {"timeline": timeline, "points": map_points(timeline)}


def _details_readable(user) -> Q:
    """Checks whose activity's details the user may read (as the read_details rule says):
    open activities, their own, and those of units they lead."""
    leader_units = access.units_with_role(user, [access.Role.LEADER])
    return (
        Q(activity__classification=Classification.OPEN)
        | Q(activity__report__officer=user)
        | access.subtree_q(leader_units, "activity__report__unit")
    )


def seen_there(place: Place, user) -> list[dict]:
    """The foreigners checked at the place: when last seen and how often, latest first."""
    rows = list(
        Check.objects.filter(activity__place=place)
        .filter(_details_readable(user))
        .values("person_id")
        .annotate(last_seen=Max("activity__started_at"), times=Count("pk"))
        .order_by("-last_seen", "person_id")[:SEEN_THERE]
    )
    persons = ForeignNational.objects.visible_to(user).in_bulk([row["person_id"] for row in rows])
    return [
        {"person": persons[row["person_id"]], "last_seen": row["last_seen"], "times": row["times"]}
        for row in rows
        if row["person_id"] in persons
    ]


def place_section(request, *, place: Place) -> dict:
    """The activities at the place that the user may see (newest first, in pages) and the
    foreigners checked there; the place's audit event counts both."""
    activities = (
        Activity.objects.visible_to(request.user)
        .filter(place=place)
        .select_related("report__officer", "report__unit")
        .annotate(
            check_count=Count("checks", distinct=True),
            finding_count=Count("findings", distinct=True),
        )
        .order_by("-started_at", "-pk")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    seen = seen_there(place, request.user)
    return {
        "page": page,
        "seen": seen,
        sections.SUMMARY: {"persons": len(seen), "page": page.number},
    }


sections.add(
    "registry.person_detail",
    name="reports.person_timeline",
    template="reports/_person_timeline.html",
    context=person_section,
)
sections.add(
    "registry.place_detail",
    name="reports.place_history",
    template="reports/_place_history.html",
    context=place_section,
)
