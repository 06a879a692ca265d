"""The benchmark's persons: generated in bulk, marked, reused by the next run.

They bypass the services on purpose (a million audit events would measure the audit trail,
not search) but keep every invariant the services keep: normalised names, document numbers in
ICAO shape and unique with their country, permits valid after issue.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from silahap.insights.bench.names import person_name
from silahap.registry import warnings
from silahap.registry.models import ForeignNational, StayPermit, TravelDocument
from silahap.registry.normalize import normalize_name

# Bench persons are told apart by this place of birth, so later runs find and reuse them.
MARK = "bench"
# "ZQ" and 7 digits: 9 characters like a real passport number, in a shape no seed produces.
DOCUMENT_PREFIX = "ZQ"
BATCH = 5000


def bench_persons():
    return ForeignNational.objects.filter(birth_place=MARK)


def _next_serial() -> int:
    last = (
        TravelDocument.objects.filter(number__startswith=DOCUMENT_PREFIX, person__birth_place=MARK)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return int(last[len(DOCUMENT_PREFIX) :]) + 1 if last else 1


def document_number(serial: int) -> str:
    return f"{DOCUMENT_PREFIX}{serial:07d}"


@transaction.atomic
def _write_batch(rng: random.Random, first_serial: int, count: int, today: datetime.date) -> None:
    persons = []
    for _ in range(count):
        nationality, full_name = person_name(rng)
        persons.append(
            ForeignNational(
                full_name=full_name,
                normalized_name=normalize_name(full_name),
                sex=rng.choice("MF"),
                birth_date=datetime.date(1950, 1, 1) + datetime.timedelta(rng.randrange(20000)),
                birth_place=MARK,
                nationality=nationality,
            )
        )
    ForeignNational.objects.bulk_create(persons, batch_size=BATCH)
    documents, permits = [], []
    for offset, person in enumerate(persons):
        documents.append(
            TravelDocument(
                person_id=person.pk,
                number=document_number(first_serial + offset),
                issuing_country=person.nationality,
                expiry_date=today + datetime.timedelta(rng.randrange(30, 3000)),
            )
        )
        # About a tenth expired, some expiring within 30 days, most valid.
        valid_until = today + datetime.timedelta(rng.randrange(-400, 700))
        permits.append(
            StayPermit(
                person_id=person.pk,
                permit_type=rng.choice(("ITAS", "ITAS", "ITAS", "ITK", "ITAP")),
                number=f"BQ{first_serial + offset:09d}",
                issued_on=valid_until - datetime.timedelta(365),
                valid_until=valid_until,
            )
        )
    TravelDocument.objects.bulk_create(documents, batch_size=BATCH)
    StayPermit.objects.bulk_create(permits, batch_size=BATCH)
    # Permits written past the services: the persons' warning columns, as permit_add keeps them.
    warnings.refresh_warning_columns(
        ForeignNational.objects.filter(pk__range=(persons[0].pk, persons[-1].pk))
    )


def ensure_persons(
    wanted: int, *, seed: int, progress: Callable[[str], None] = lambda line: None
) -> int:
    """Generate bench persons until `wanted` exist; return how many were added."""
    present = bench_persons().count()
    missing = max(0, wanted - present)
    if not missing:
        return 0
    serial = _next_serial()
    today = timezone.localdate()
    started = time.perf_counter()
    added = 0
    while added < missing:
        count = min(BATCH * 4, missing - added)
        # Seeded by position, so that the same N always gives the same persons.
        rng = random.Random(f"{seed}:{serial}")
        _write_batch(rng, serial, count, today)
        serial += count
        added += count
        rate = added / max(1e-9, time.perf_counter() - started)
        progress(f"  generated {present + added:,} / {wanted:,} persons ({rate:,.0f}/s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Each batch moved the counts of its names (the table of names' triggers): what
            # autovacuum does soon after, done now, as the bench measures the steady state
            # (dead rows, and the GIN index's pending list every search would read).
            cursor.execute("VACUUM (ANALYZE) registry_personname")
    return added
