"""Reads of the person registry: search filters, the person page and its timeline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from silahap.accounts import access
from silahap.registry.models import (
    EXPIRING_WITHIN_DAYS,
    ForeignNational,
    Place,
    Sponsor,
    StayPermit,
)
from silahap.registry.search import place_name_condition, sponsor_condition

PERMIT_STATUSES = ("valid", "expiring", "expired")
# A person's timeline shows this many checks, the latest first; older ones stay in the reports.
TIMELINE_LENGTH = 200


def _permits(**conditions) -> Exists:
    return Exists(StayPermit.objects.filter(person=OuterRef("pk"), **conditions))


def with_permit_status(
    queryset: QuerySet[ForeignNational], status: str, on: datetime.date
) -> QuerySet[ForeignNational]:
    """Persons whose latest permit is valid (beyond 30 days), expiring (within 30 days) or
    expired, judged on `on`; a person with no permit recorded is none of them.

    Read from `permit_valid_until`, the end of the person's latest dated permit kept on the
    person (warnings.refresh_warning_columns), over the index person_by_permit_end: no semi-
    or anti-join on the permits of a million persons."""
    horizon = on + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    if status == "valid":
        return queryset.filter(permit_valid_until__gt=horizon)
    if status == "expiring":
        return queryset.filter(permit_valid_until__range=(on, horizon))
    if status == "expired":
        return queryset.filter(permit_valid_until__lt=on)
    raise ValueError(f"unknown permit status {status!r}")


def persons_filtered(
    queryset: QuerySet[ForeignNational],
    *,
    on: datetime.date,
    nationality: str = "",
    permit_status: str = "",
    sponsors: QuerySet[Sponsor] | None = None,
    places: QuerySet[Place] | None = None,
) -> QuerySet[ForeignNational]:
    """The registry narrowed by the search page's filters (each one optional)."""
    queryset = queryset.filter(merged_into__isnull=True)
    if nationality:
        queryset = queryset.filter(nationality=nationality)
    if permit_status:
        queryset = with_permit_status(queryset, permit_status, on)
    if sponsors is not None:
        # The person's own sponsor, or the sponsor named on one of their permits.
        queryset = queryset.filter(Q(sponsor__in=sponsors) | _permits(sponsor__in=sponsors))
    if places is not None:
        from silahap.reports.models import Check

        queryset = queryset.filter(
            Exists(Check.objects.filter(person=OuterRef("pk"), activity__place__in=places))
        )
    return queryset


def sponsors_named(user, text: str) -> QuerySet[Sponsor]:
    """Sponsors whose name holds the text, or whose NIK / NIB it is (registry: staff only)."""
    if not access.is_immigration_staff(user):
        return Sponsor.objects.none()
    return Sponsor.objects.filter(sponsor_condition(text))


def places_named(user, text: str) -> QuerySet[Place]:
    """Places whose name holds every word of the text, accents and case ignored."""
    return Place.objects.visible_to(user).filter(
        place_name_condition(text), merged_into__isnull=True
    )


def latest_permit(person: ForeignNational) -> StayPermit | None:
    """The permit that ends last (from prefetched permits); one without an end date last."""
    permits = sorted(
        person.permits.all(),
        key=lambda permit: (permit.valid_until is not None, permit.valid_until),
        reverse=True,
    )
    return permits[0] if permits else None


def person_for_page(queryset: QuerySet[ForeignNational]) -> QuerySet[ForeignNational]:
    return queryset.select_related("sponsor", "regency", "merged_into").prefetch_related(
        "documents",
        Prefetch(
            "permits",
            queryset=StayPermit.objects.select_related("visa_index", "sponsor").order_by(
                "-valid_until", "-pk"
            ),
        ),
    )


@dataclass
class TimelineEntry:
    """One check of the person; `shown` is False for a closed activity the user may not read."""

    check: object
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
        if activity.latitude is not None:
            return float(activity.latitude), float(activity.longitude)
        place = activity.place
        if place is not None and place.latitude is not None:
            return float(place.latitude), float(place.longitude)
        return None


def person_timeline(person: ForeignNational, user) -> list[TimelineEntry]:
    """Every check of the person, latest first, across all offices (the registry is national).

    A closed (intelligence) activity's check is listed without its details to anyone but its
    author and the leaders above; a link to the activity is offered only to who may open it.
    """
    from silahap.reports.models import Activity, Check, Finding

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
