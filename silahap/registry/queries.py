"""Reads of the person registry: search filters and the person page.

The person's timeline (where and when checked) is reports' section of that page
(silahap/reports/registry_sections.py)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from silahap.accounts import access
from silahap.registry import links
from silahap.registry.models import (
    EXPIRING_WITHIN_DAYS,
    ForeignNational,
    Place,
    Sponsor,
    StayPermit,
)
from silahap.registry.search import place_name_condition, sponsor_condition

PERMIT_STATUSES = ("valid", "expiring", "expired")


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
        # Seen there: checked at one of the places (reports' knowledge, silahap.registry.links).
        queryset = queryset.filter(links.seen_at(places))
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
