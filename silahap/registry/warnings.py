"""Stay-permit warnings per office: permits expiring within 30 days, and overstays.

A person's latest permit (the one that ends last) decides: it ends within 30 days (expiring) or
has ended with no newer permit (overstay), as the registry's permit status says. A person belongs
to the office of their latest check (Check → Activity → report → the officer's unit's office, a
rule reports hands down through silahap.registry.links), else to the office whose work area
holds their address regency.

The registry may hold a million persons, so nothing here reads permits or checks per person:
both facts are kept on the person (`permit_valid_until`, `last_check_office`) by
`refresh_warning_columns`, which every write to permits and checks calls in its transaction, and
the warnings are two index range scans over them (indexes person_warning_by_check and
person_warning_by_address).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from silahap.accounts import access
from silahap.accounts.models import OrgUnit
from silahap.registry import links, warning_triggers
from silahap.registry.models import (
    EXPIRING_WITHIN_DAYS,
    ForeignNational,
    StayPermit,
    WarningCount,
    WarningDay,
)

EXPIRING = "expiring"
OVERSTAY = "overstay"
KINDS = (EXPIRING, OVERSTAY)

WorkArea = OrgUnit.work_area.through

# Persons per UPDATE when refreshing a list of them: below SQLite's bound-parameter limit.
REFRESH_CHUNK = 500


@dataclass
class OfficeWarnings:
    office: OrgUnit
    expiring: int = 0
    overstay: int = 0

    @property
    def total(self) -> int:
        return self.expiring + self.overstay


class _Differs(Func):
    """`a IS DISTINCT FROM b`: unequal, NULL counting as a value (SQLite spells it IS NOT)."""

    arg_joiner = " IS DISTINCT FROM "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, arg_joiner=" IS NOT ", **extra_context)


def refresh_columns(
    person_model, permit_model, persons=None, *, check_office: QuerySet | None = None
) -> int:
    """Recompute the warning columns of `persons` (ids, a queryset of persons, or None for
    everyone) from their permits and checks, set-based; return how many rows changed.

    `check_office` is a one-column subquery over OuterRef("pk"): the office of the person's
    latest check (a rule of reports, handed down through silahap.registry.links); None leaves
    `last_check_office` as it is. The models are parameters so that migration 0008 backfills
    with its historical models: the end of the latest dated permit, and that office."""
    latest_end = (
        permit_model._base_manager.filter(person=OuterRef("pk"), valid_until__isnull=False)
        .order_by()
        .values("person")
        .annotate(end=Max("valid_until"))
        .values("end")
    )
    values: dict[str, Any] = {"permit_valid_until": Subquery(latest_end)}
    changed = Q(_Differs(F("permit_valid_until"), Subquery(latest_end)))
    if check_office is not None:
        values["last_check_office"] = Subquery(check_office)
        changed |= Q(_Differs(F("last_check_office_id"), Subquery(check_office)))
    if any(field.name == "updated_at" for field in person_model._meta.concrete_fields):
        # The API publishes these columns: its updated_since must see them change (a bulk
        # update skips auto_now; an old migration's historical model has no such column).
        values["updated_at"] = Now()
    # Only rows whose columns change are written (`changed`): a new row version is an insert
    # into every index of the table (trigram ones too), and most checks confirm the office
    # already held.
    rows = person_model._base_manager.all()
    if persons is None:
        return rows.filter(changed).update(**values)
    if isinstance(persons, QuerySet):
        chunks = [rows.filter(pk__in=persons.values("pk"))]
    else:
        ids = sorted(set(persons))
        chunks = [
            rows.filter(pk__in=ids[i : i + REFRESH_CHUNK])
            for i in range(0, len(ids), REFRESH_CHUNK)
        ]
    updated = 0
    for chunk in chunks:
        # Lock first, then compute in a statement of its own: under READ COMMITTED it sees a
        # check or permit that a concurrent transaction committed while we waited for the lock,
        # which a single UPDATE (its snapshot taken before the wait) would miss.
        list(chunk.select_for_update().order_by("pk").values_list("pk", flat=True))
        updated += chunk.filter(changed).update(**values)
    return updated


def refresh_warning_columns(persons=None) -> int:
    """Keep `permit_valid_until` and `last_check_office` true for these persons after a write to
    their permits or checks (or to the start of an activity they were checked in)."""
    return refresh_columns(ForeignNational, StayPermit, persons, check_office=links.check_office())


def _ends(kind: str, on: datetime.date) -> Q:
    """Expiring: the latest permit ends within 30 days of `on`; overstay: it ended before `on`
    (so every dated permit has). A permit with no end date recorded warns of nothing."""
    horizon = on + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    if kind == EXPIRING:
        return Q(permit_valid_until__range=(on, horizon))
    if kind == OVERSTAY:
        return Q(permit_valid_until__lt=on)
    if not kind:
        return Q(permit_valid_until__lte=horizon)
    raise ValueError(f"unknown warning kind {kind!r}")


def area_offices(office_ids: list[int]) -> dict[int, list[str]]:
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


def attributed_office(regencies: dict[int, list[str]]) -> Coalesce:
    """The office of the person's latest check, else the office whose work area holds their
    address regency (only the offices in `regencies` are named; any other office is NULL)."""
    # A CASE over the regency codes: the mapping is small and known, and a per-row subquery
    # into the work-area table would cost a scan of it for every candidate person.
    by_address = Case(
        *[
            When(regency_id__in=codes, then=Value(office_id))
            for office_id, codes in regencies.items()
            if codes
        ],
        default=None,
        output_field=IntegerField(),
    )
    return Coalesce(F("last_check_office_id"), by_address, output_field=IntegerField())


def _candidates(
    office_ids: list[int], regencies: dict[int, list[str]], on: datetime.date, kind: str
) -> QuerySet[ForeignNational]:
    # Each arm is a range scan of one partial index: checked by one of these offices, or never
    # checked by any office and living in one of their regencies (the attribution rule itself).
    belongs = Q(last_check_office__in=office_ids) | Q(
        last_check_office__isnull=True,
        regency_id__in=[code for codes in regencies.values() for code in codes],
    )
    return ForeignNational.objects.filter(merged_into__isnull=True).filter(_ends(kind, on), belongs)


def warned_persons(
    offices: Iterable[OrgUnit], on: datetime.date, kind: str = ""
) -> QuerySet[ForeignNational]:
    """Persons with a warning (one kind, or both) attributed to one of `offices`, each annotated
    with `warning_office_id`; `permit_valid_until` is the end of their latest permit."""
    office_ids = [office.pk for office in offices]
    regencies = area_offices(office_ids)
    return _candidates(office_ids, regencies, on, kind).annotate(
        warning_office_id=attributed_office(regencies)
    )


def warned_unattributed(
    regencies: dict[int, list[str]], on: datetime.date, kind: str = ""
) -> QuerySet[ForeignNational]:
    """warned_persons of the offices keyed in `regencies` (area_offices of them), without the
    attribution in SQL: a page attributes its own rows with `office_of`. A national analyst's
    125 offices made that CASE ~40 ms of the ORM's time to build and compile (2 ms without)."""
    return _candidates(list(regencies), regencies, on, kind)


def address_offices(regencies: dict[int, list[str]]) -> dict[str, int]:
    """Regency code → the office its residents fall to by address (of area_offices' answer)."""
    return {code: office_id for office_id, codes in regencies.items() for code in codes}


def office_of(person: ForeignNational, by_address: dict[str, int]) -> int | None:
    """The office a warned person is attributed to (attributed_office, said in Python)."""
    if person.last_check_office_id is not None:
        return person.last_check_office_id
    return by_address.get(person.regency_id or "")


def _count_keys(office_ids: list[int], by_address: dict[str, int]) -> Q:
    """The WarningCount / WarningDay keys of these offices: their checks, and the address
    regencies that fall to them (address_offices)."""
    return Q(office__in=office_ids, regency="") | Q(office=0, regency__in=list(by_address))


def _counts_on(
    rows: list[tuple[int, str, datetime.date, int, int]], on: datetime.date, keys: Q
) -> dict[tuple[int, str], tuple[int, int]]:
    """Each key's (expiring, overstay) on `on`, from its WarningCount row (office, regency,
    as_of, expiring, overstay) moved by the WarningDay rows between `as_of` and `on`: a permit
    ending in [as_of, on) has ended since (an overstay, no longer expiring), one ending in
    (as_of + 30, on + 30] has come within 30 days; backwards when `on` is before `as_of`."""
    counts = {
        (office, regency): (expiring, overstay) for office, regency, _, expiring, overstay in rows
    }
    moved = {(office, regency): as_of for office, regency, as_of, _, _ in rows if as_of != on}
    if not moved:
        return counts
    horizon = datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    low = min(min(moved.values()), on)
    high = max(max(moved.values()), on)
    days = WarningDay.objects.filter(keys).filter(
        Q(day__gte=low, day__lt=high) | Q(day__gt=low + horizon, day__lte=high + horizon)
    )
    for office, regency, day, persons in days.values_list("office", "regency", "day", "persons"):
        as_of = moved.get((office, regency))
        if as_of is None or not persons:
            continue
        sign, first, last = (1, as_of, on) if on > as_of else (-1, on, as_of)
        expiring, overstay = counts[(office, regency)]
        if first <= day < last:
            expiring, overstay = expiring - sign * persons, overstay + sign * persons
        if first + horizon < day <= last + horizon:
            expiring += sign * persons
        counts[(office, regency)] = (expiring, overstay)
    return counts


def office_warnings(
    offices: Iterable[OrgUnit],
    on: datetime.date,
    regencies: dict[int, list[str]] | None = None,
) -> list[OfficeWarnings]:
    """How many expiring permits and overstays each office has, from the counts the database
    keeps per office and address regency (models_warnings): one query for the offices' rows and
    one for the days since they were last moved forward (and one for the offices' regencies
    unless given: area_offices of these offices). Reads a few rows per office, however many
    persons are warned."""
    offices = list(offices)
    if not offices:
        return []
    result = {office.pk: OfficeWarnings(office=office) for office in offices}
    if regencies is None:
        regencies = area_offices(list(result))
    by_address = address_offices(regencies)
    keys = _count_keys(list(result), by_address)
    rows = list(
        WarningCount.objects.filter(keys).values_list(
            "office", "regency", "as_of", "expiring", "overstay"
        )
    )
    for (office, regency), (expiring, overstay) in _counts_on(rows, on, keys).items():
        total = result[office if office else by_address[regency]]
        total.expiring += expiring
        total.overstay += overstay
    return list(result.values())


@transaction.atomic
def advance_counts(on: datetime.date) -> int:
    """Move every WarningCount row last moved before `on` to `on` (the daily permit-warnings
    job), so a reading needs only the days since; returns how many rows moved."""
    stale = WarningCount.objects.filter(as_of__lt=on)
    # Lock first, then read the days in a statement of its own: it sees every person change
    # committed while we waited, and one committed after adds itself against the new as_of.
    ids = list(stale.select_for_update().order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    rows = list(WarningCount.objects.filter(pk__in=ids))
    keys = Q(pk__in=[])
    for row in rows:
        keys |= Q(office=row.office, regency=row.regency)
    counts = _counts_on(
        [(row.office, row.regency, row.as_of, row.expiring, row.overstay) for row in rows],
        on,
        keys,
    )
    for row in rows:
        row.expiring, row.overstay = counts[(row.office, row.regency)]
        row.as_of = on
    WarningCount.objects.bulk_update(rows, ["as_of", "expiring", "overstay"], batch_size=500)
    return len(rows)


# The triggers keeping WarningDay, WarningMonth and WarningCount (warning_triggers.py), on
# PostgreSQL.
COUNT_TRIGGERS = warning_triggers.POSTGRES_TRIGGERS

# The first day of a WarningDay row's month, as the triggers compute it.
_MONTH_OF_DAY = {
    "postgresql": "date_trunc('month', day)::date",
    "sqlite": "date(day, 'start of month')",
}
_REBUILD = [
    "DELETE FROM registry_warningday",
    "DELETE FROM registry_warningcount",
    "DELETE FROM registry_warningmonth",
    """INSERT INTO registry_warningday (office, regency, day, persons)
    SELECT COALESCE(last_check_office_id, 0),
        CASE WHEN last_check_office_id IS NULL THEN regency_id ELSE '' END,
        permit_valid_until, COUNT(*)
    FROM registry_foreignnational
    WHERE merged_into_id IS NULL AND permit_valid_until IS NOT NULL
        AND (last_check_office_id IS NOT NULL OR regency_id IS NOT NULL)
    GROUP BY 1, 2, 3""",
    """INSERT INTO registry_warningmonth (office, regency, month, persons)
    SELECT office, regency, {month}, SUM(persons)
    FROM registry_warningday GROUP BY 1, 2, 3""",
    """INSERT INTO registry_warningcount (office, regency, as_of, expiring, overstay)
    SELECT office, regency, %(on)s,
        SUM(CASE WHEN day >= %(on)s AND day <= %(horizon)s THEN persons ELSE 0 END),
        SUM(CASE WHEN day < %(on)s THEN persons ELSE 0 END)
    FROM registry_warningday GROUP BY office, regency""",
]


def rebuild_counts(*, on: datetime.date | None = None, connection=None) -> None:
    """Recount WarningDay, WarningMonth and WarningCount from the persons, set-based (after a
    bulk load that skipped the triggers, or to check them); writers wait meanwhile on
    PostgreSQL."""
    connection = connection or connections[ForeignNational.objects.db]
    on = on or timezone.localdate()
    params = {"on": on, "horizon": on + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)}
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE registry_foreignnational IN SHARE MODE")
        months = warning_triggers.has_months(connection)
        for statement in _REBUILD:
            if warning_triggers.MONTHS in statement:
                if not months:
                    continue
                statement = statement.format(month=_MONTH_OF_DAY[connection.vendor])
            cursor.execute(statement, params if "%(on)s" in statement else None)


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
