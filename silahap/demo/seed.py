"""`manage.py seed_demo`: the demo organisation, its registry and a month of reports."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from silahap.accounts.models import Membership, User
from silahap.registry.models import (
    ForeignNational,
    Place,
    Sponsor,
    StayPermit,
    TravelDocument,
)
from silahap.reports import services
from silahap.reports.models import Activity, Check, DailyReport, Finding

from .guidance import seed_guidance
from .insights import seed_insights
from .integration import seed_integration
from .operations import seed_operations
from .organisation import PEOPLE, seed_organisation, seed_people
from .registry import OFFICES, PLACES_PER_REGENCY, Areas, seed_registry
from .reports import DECIDERS, seed_reports

SHOWCASE_OFFICER = "petugas.tng1"


@dataclass(frozen=True)
class DemoSummary:
    units: int
    logins: int
    created: dict[str, int]
    counts: dict[str, int]
    reports_by_status: dict[str, int]


def demo_officers(users: dict[str, User]) -> dict[str, list[User]]:
    """The officers of each demo office, in the order PEOPLE lists them."""
    return {
        office: [
            users[spec.username]
            for spec in PEOPLE
            if spec.role == Membership.Role.OFFICER and spec.unit.startswith(office)
        ]
        for office in OFFICES
    }


def counts() -> dict[str, int]:
    """Rows of every model the demo writes, to compare one run with the next."""
    return {
        "users": User.objects.count(),
        "sponsors": Sponsor.objects.count(),
        "places": Place.objects.count(),
        "persons": ForeignNational.objects.count(),
        "documents": TravelDocument.objects.count(),
        "permits": StayPermit.objects.count(),
        "reports": DailyReport.objects.count(),
        "activities": Activity.objects.count(),
        "checks": Check.objects.count(),
        "findings": Finding.objects.count(),
    }


@transaction.atomic
def seed_demo(*, now: datetime.datetime | None = None) -> DemoSummary:
    """Create whatever of the demo is missing; a second run on the same day adds nothing."""
    now = now or timezone.now()
    units = seed_organisation()
    users = seed_people(units)
    officers = demo_officers(users)
    leaders = {username: users[username] for names in DECIDERS.values() for username in names}
    areas = Areas.load([code for office in OFFICES for code in PLACES_PER_REGENCY[office]])
    before = counts()
    registry = seed_registry(areas=areas, today=timezone.localdate(now), officers=officers)
    seed_reports(registry=registry, officers=officers, leaders=leaders, now=now)
    # The showcase officer always has today's draft, even before the first activity of the day.
    services.report_open(officer=users[SHOWCASE_OFFICER])
    seed_integration()
    seed_guidance(users=users, units=units)
    seed_operations(units=units, users=users, now=now)
    seed_insights(now=now)
    after = counts()
    statuses = Counter(
        dict(DailyReport.objects.values_list("status").annotate(n=Count("id")).order_by())
    )
    return DemoSummary(
        units=len(units),
        logins=len(PEOPLE),
        created={name: after[name] - before[name] for name in after},
        counts=after,
        reports_by_status=dict(sorted(statuses.items())),
    )
