"""Stay-permit warnings per office: permits expiring within 30 days, and overstays.

A person's latest permit (the one that ends last) decides: it ends within 30 days (expiring) or
has ended with no newer permit (overstay), as the registry's permit status says. A person belongs
to the office of their latest check (Check → Activity → report → the officer's unit's office),
else to the office whose work area holds their address regency. Every read here is set-based:
the registry may hold a million persons, so nothing loops over them in Python.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from silahap.accounts import access
from silahap.accounts.models import OrgUnit
from silahap.registry.models import EXPIRING_WITHIN_DAYS, ForeignNational, StayPermit

EXPIRING = "expiring"
OVERSTAY = "overstay"
KINDS = (EXPIRING, OVERSTAY)

WorkArea = OrgUnit.work_area.through


@dataclass
class OfficeWarnings:
    office: OrgUnit
    expiring: int = 0
    overstay: int = 0

    @property
    def total(self) -> int:
        return self.expiring + self.overstay


def _permits(**conditions) -> Q:
    return Q(Exists(StayPermit.objects.filter(person=OuterRef("pk"), **conditions)))


def warning_condition(kind: str, on: datetime.date) -> Q:
    """Expiring: the latest permit ends within 30 days of `on`; overstay: every dated permit
    ended before `on`. A permit with no end date recorded warns of nothing."""
    horizon = on + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    if kind == EXPIRING:
        return _permits(valid_until__range=(on, horizon)) & ~_permits(valid_until__gt=horizon)
    if kind == OVERSTAY:
        return _permits(valid_until__lt=on) & ~_permits(valid_until__gte=on)
    raise ValueError(f"unknown warning kind {kind!r}")


def _area_offices(office_ids: list[int]) -> dict[int, list[str]]:
    """For each of these offices, the regencies whose persons fall to it by address: those of
    its work area, unless an active office with a lower id also covers them (a stable answer
    when work areas overlap). One small query: ~514 regencies nationwide."""
    owner: dict[str, int] = {}
    rows = WorkArea.objects.filter(
        orgunit__kind=OrgUnit.Kind.IMMIGRATION_OFFICE, orgunit__is_active=True
    ).values_list("regency_id", "orgunit_id")
    for regency_id, office_id in rows:
        owner[regency_id] = min(office_id, owner.get(regency_id, office_id))
    regencies: dict[int, list[str]] = {office_id: [] for office_id in office_ids}
    for regency_id, office_id in sorted(owner.items()):
        if office_id in regencies:
            regencies[office_id].append(regency_id)
    return regencies


def attributed_office(area_offices: dict[int, list[str]]) -> Coalesce:
    """The office of the person's latest check, else the office whose work area holds their
    address regency (only the offices in `area_offices` are named; any other office is NULL)."""
    from silahap.reports.models import Check

    latest_check = (
        Check.objects.filter(person=OuterRef("pk"), activity__report__unit__office__isnull=False)
        .order_by("-activity__started_at", "-pk")
        .values("activity__report__unit__office_id")[:1]
    )
    # A CASE over the regency codes: the mapping is small and known, and a per-row subquery
    # into the work-area table would cost a scan of it for every candidate person.
    by_address = Case(
        *[
            When(regency_id__in=regencies, then=Value(office_id))
            for office_id, regencies in area_offices.items()
            if regencies
        ],
        default=None,
        output_field=IntegerField(),
    )
    return Coalesce(Subquery(latest_check), by_address, output_field=IntegerField())


def warned_persons(
    offices: Iterable[OrgUnit], on: datetime.date, kind: str = ""
) -> QuerySet[ForeignNational]:
    """Persons with a warning (one kind, or both) attributed to one of `offices`, each annotated
    with `warning_office_id` and `permit_valid_until` (the end of their latest permit)."""
    from silahap.reports.models import Check

    office_ids = [office.pk for office in offices]
    area_offices = _area_offices(office_ids)
    condition = (
        warning_condition(kind, on)
        if kind
        else warning_condition(EXPIRING, on) | warning_condition(OVERSTAY, on)
    )
    # Narrow to persons who could belong to these offices before attributing each one.
    could_belong = Q(
        Exists(
            Check.objects.filter(
                person=OuterRef("pk"), activity__report__unit__office_id__in=office_ids
            )
        )
    ) | Q(regency_id__in=[code for codes in area_offices.values() for code in codes])
    latest_end = (
        StayPermit.objects.filter(person=OuterRef("pk"), valid_until__isnull=False)
        .order_by("-valid_until", "-pk")
        .values("valid_until")[:1]
    )
    return (
        ForeignNational.objects.filter(merged_into__isnull=True)
        .filter(condition, could_belong)
        .annotate(
            warning_office_id=attributed_office(area_offices),
            permit_valid_until=Subquery(latest_end),
        )
        .filter(warning_office_id__in=office_ids)
    )


def office_warnings(offices: Iterable[OrgUnit], on: datetime.date) -> list[OfficeWarnings]:
    """How many expiring permits and overstays each office has: one grouped query."""
    offices = list(offices)
    if not offices:
        return []
    result = {office.pk: OfficeWarnings(office=office) for office in offices}
    rows = (
        warned_persons(offices, on)
        .order_by()
        .values("warning_office_id")
        .annotate(
            expiring=Count("pk", filter=Q(permit_valid_until__gte=on)),
            overstay=Count("pk", filter=Q(permit_valid_until__lt=on)),
        )
    )
    for row in rows:
        result[row["warning_office_id"]].expiring = row["expiring"]
        result[row["warning_office_id"]].overstay = row["overstay"]
    return list(result.values())


def offices_for(user) -> QuerySet[OrgUnit]:
    """The immigration offices whose warnings a leader or analyst reads: those at or below their
    units, or the office their section or team belongs to."""
    offices = OrgUnit.objects.filter(kind=OrgUnit.Kind.IMMIGRATION_OFFICE, is_active=True)
    if user.is_superuser:
        return offices
    units = access.supervised_units(user)
    scope = Q(pk__in=[unit.office_id for unit in units if unit.office_id])
    for unit in units:
        scope |= Q(path__startswith=unit.path)
    return offices.filter(scope).order_by("name", "pk")
