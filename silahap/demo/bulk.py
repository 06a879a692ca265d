"""`seed_demo --scale N`: N more activities, with their reports, checks, findings and persons.

For load tests only, so it bypasses the services: rows are built as plain tuples with their
primary keys assigned here, written in batches inside one transaction (demo/loading.py: COPY from
a second thread on PostgreSQL, bulk_create elsewhere), and the whole batch is recorded as one
audit event. The rows still satisfy every database constraint: one report per officer per day
(the bulk officers, about 3,000 spread over 125 offices in real regions (country.py), are reused
by every run, each going further back in time one working day at a time), a decider on every
decided report, unique document numbers (derived from the person's id, in a shape no real seed
produces), and so on. The persons' warning columns are written with them: the permit's end, and
the person's own office as that of the latest check (only that office checks them), cleared
after the load for the few no check reached; nothing is refreshed afterwards. The insights
rollups of the new reports (no event reaches their subscribers) are filled set-based at the
end (insights/bulk_rollups.py), so the evaluation pages, leagues and map read the generated
history too.
"""

from __future__ import annotations

import bisect
import datetime
import gc
import itertools
import random
import time
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from silahap.accounts.models import Membership, User
from silahap.audit import services as audit
from silahap.insights import bulk_rollups
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
from silahap.registry import name_triggers, warnings
from silahap.registry.models import (
    ForeignNational,
    Place,
    Sponsor,
    StayPermit,
    TravelDocument,
    VisaIndex,
)
from silahap.registry.normalize import normalize_name
from silahap.reports.models import (
    Activity,
    Check,
    DailyReport,
    Finding,
    ReportRevision,
)

from . import country, names
from .loading import (
    REBUILD_INDEXES_FROM,
    BulkCreateWriter,
    CopyWriter,
    Indexes,
    Table,
    Writer,
    analyse,
    restore_triggers,
    skip_foreign_key_triggers,
)
from .registry import (
    PLACE_KIND_WEIGHTS,
    Areas,
    DemoError,
    place_name,
    weighted,
)
from .reports import (
    ADMINISTRATIVE_DESCRIPTIONS,
    ADMINISTRATIVE_SOURCES,
    CORRECTION_REASONS,
    DESCRIPTIONS,
    FIELD_SOURCE_NAMES,
    FIELD_SOURCE_WEIGHTS,
    OVERSTAY_THRESHOLD_DAYS,
    RECOMMENDATIONS_CLEAN,
    RECOMMENDATIONS_FINDING,
    RETURN_REASONS,
    SOURCE_PLACES,
    WARRANT_PREFIXES,
    WorkingDays,
    violation_types,
)

OFFICER_PREFIX = "bulk.officer"
# About 3,000 officers over the country's offices, whatever the scale: more activities means
# more history for the same units. A small run (a test's) has fewer: one per 30 activities.
OFFICERS = 3000
ACTIVITIES_PER_OFFICER = 30
ACTIVITIES_PER_PERSON = 3
ACTIVITIES_PER_PLACE = 100
PERSONS_PER_SPONSOR = 25
DEADLINE_MINUTES = 20 * 60
PERMIT_TYPES = ("ITAS", "ITAS", "ITAS", "ITAS", "ITAS", "ITAS", "ITK", "ITK", "ITAP", "SERVICE")
OCCUPATIONS = {
    "ITAS": ("Tenaga ahli produksi", "Teknisi mesin", "Manajer pabrik", "Konsultan teknik"),
    "ITK": ("Kunjungan bisnis", "Wisatawan"),
    "ITAP": ("Pengusaha", "Ibu rumah tangga"),
    "SERVICE": ("Staf organisasi internasional",),
}
CHECK_COUNTS_FIELD = (0, 1, 1, 1, 2, 2)
CHECK_COUNTS_ADMINISTRATIVE = (0, 1, 1)
METHODS = ("permit_qr", "permit_qr", "physical_document", "physical_document", "system_lookup")
OTHER_FINDINGS = ("permit_misuse", "unreported_change", "sponsor_absent", "unauthorized_work")
FIELD_SOURCE_CUMULATIVE = list(itertools.accumulate(FIELD_SOURCE_WEIGHTS))
ROLLUP_MODELS = [
    DailyCount, DailyValue, MonthlyCount, MonthlyValue, SubtreeSeen, SubtreeMonthSeen, OfficerSeen,
    SubtreeTally, SubtreeYearTally, SubtreeCount, OfficerMonthCount,
]  # fmt: skip
# The tables a large run at least doubles: their secondary indexes are rebuilt after it.
REBUILT = ("persons", "documents", "permits", "reports", "revisions", "activities", "checks",
           "findings")  # fmt: skip


TABLES = {
    "users": (
        User,
        "id password last_login is_superuser username first_name last_name email is_staff "
        "is_active date_joined full_name nip rank position phone agency account_expires_on",
    ),
    "memberships": (Membership, "id user_id unit_id role start_date end_date is_acting"),
    "sponsors": (Sponsor, "id kind name identity_number address regency_id phone created_at"),
    "places": (
        Place,
        "id name normalized_name kind address regency_id district_id village_id latitude "
        "longitude merged_into_id created_by_id created_at",
    ),
    "persons": (
        ForeignNational,
        "id full_name normalized_name sex birth_date birth_place nationality occupation address "
        "regency_id sponsor_id merged_into_id created_by_id created_at updated_at "
        "permit_valid_until last_check_office_id",
    ),
    "documents": (
        TravelDocument,
        "id person_id kind number issuing_country expiry_date created_at",
    ),
    "permits": (
        StayPermit,
        "id person_id permit_type visa_index_id number issued_on valid_until sponsor_id created_at",
    ),
    "reports": (
        DailyReport,
        "id officer_id unit_id report_date status revision_number first_submitted_at "
        "submitted_at is_late decided_at decided_by_id return_reason correction_reason "
        "created_at updated_at",
    ),
    "revisions": (
        ReportRevision,
        "id report_id number snapshot submitted_at submitted_by_id correction_reason client_id",
    ),
    "activities": (
        Activity,
        "id report_id client_id kind source classification warrant_number warrant_date "
        "warrant_to_follow started_at ended_at place_id latitude longitude location_accuracy_m "
        "location_source description conclusion recommendation created_at updated_at",
    ),
    "checks": (
        Check,
        "id activity_id client_id person_id permit_id verification_method activity_observed "
        "matches_permit result notes created_at",
    ),
    "findings": (
        Finding,
        "id activity_id client_id check_record_id person_id violation_type_id description "
        "overstay_days created_at",
    ),
}


class Ids:
    """Primary keys handed out here, above anything in use; sequences catch up at the end."""

    def __init__(self, tables: dict[str, Table]):
        self.next: dict[str, int] = {}
        self.sequences: dict[str, str] = {}
        postgres = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            if postgres:
                locked = ", ".join(
                    connection.ops.quote_name(t.model._meta.db_table) for t in tables.values()
                )
                # Other writers wait until this batch commits; readers carry on.
                cursor.execute(f"LOCK TABLE {locked} IN SHARE ROW EXCLUSIVE MODE")
            for name, table in tables.items():
                db_table = table.model._meta.db_table
                cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(db_table)}")
                highest = cursor.fetchone()[0] or 0
                if postgres:
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [db_table])
                    sequence = cursor.fetchone()[0]
                    cursor.execute("SELECT nextval(%s)", [sequence])
                    highest = max(highest, cursor.fetchone()[0])
                    self.sequences[name] = sequence
                self.next[name] = highest + 1

    def take(self, name: str) -> int:
        value = self.next[name]
        self.next[name] = value + 1
        return value

    def finish(self) -> None:
        """Move each PostgreSQL sequence past the ids used here."""
        with connection.cursor() as cursor:
            for name, sequence in self.sequences.items():
                cursor.execute("SELECT setval(%s, %s)", [sequence, self.next[name] - 1])


class ClientIds:
    """Client ids that rise in insertion order (like UUIDv7): each lands at the right edge of
    its unique index instead of at a random page, which keeps a million inserts fast. The run's
    start time (ms) and 16 random bits lead, so runs never share one."""

    def __init__(self, now: datetime.datetime, rng: random.Random):
        self.prefix = (int(now.timestamp() * 1000) << 16) | rng.getrandbits(16)
        self.counter = 0

    def __call__(self) -> str:
        self.counter += 1
        return f"{self.prefix:016x}{self.counter:016x}"


class Draws(random.Random):
    """random.Random whose choice and randint (millions of calls) take one float each instead
    of rejection-sampled bits: as uniform as demo data needs, several times cheaper."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


def _point(rng: random.Random, box: list[tuple[float, float, float, float]]) -> tuple[float, float]:
    south, north, west, east = rng.choice(box)
    return rng.uniform(south, north), rng.uniform(west, east)


class Generator:
    def __init__(self, *, scale: int, batch_size: int, now: datetime.datetime, progress):
        self.scale = scale
        self.batch_size = batch_size
        self.now = now
        # Timestamps go into rows as ISO text: PostgreSQL's COPY and Django's bulk_create both
        # parse it, and psycopg spends several times longer turning an aware datetime into text.
        self.stamp = now.isoformat()
        self.progress = progress or (lambda message: None)
        self.phases: list[tuple[str, float]] = []
        self.started = time.perf_counter()
        self.offices = country.offices()
        self.today = max(now.astimezone(office.zone).date() for office in self.offices)
        self.tables = {
            name: Table(model, f.split(), self.stamp) for name, (model, f) in TABLES.items()
        }
        self.ids = Ids(self.tables)
        self.first_report = self.ids.next["reports"]
        # Each run draws differently (its ids differ), so random client ids never repeat.
        self.rng = Draws(f"silahap-bulk:{self.ids.next['activities']}")
        self.client_id = ClientIds(now, self.rng)
        for office in self.offices:
            if not office.teams or not office.deciders:
                raise DemoError(f"{office.code} has no team or no leader; run `seed_demo` first")
        self.areas = Areas.load(sorted({r for office in self.offices for r in office.regencies}))
        self.violations = {code: v.pk for code, v in violation_types().items()}
        self.visa_indexes: dict[str, list[int]] = {}
        for pk, permit_type in VisaIndex.objects.filter(is_active=True).values_list(
            "pk", "permit_type"
        ):
            self.visa_indexes.setdefault(permit_type, []).append(pk)
        # Enough years for ten million activities (about seven years of working days).
        self.working = WorkingDays(list(range(self.today.year - 15, self.today.year + 1)))
        self.writer: Writer = BulkCreateWriter(batch_size)

    def add(self, name: str, row: tuple) -> None:
        self.writer.add(self.tables[name], row)

    def share(self, total: int, index: int) -> int:
        """Office `index`'s part of `total`, the parts adding up to it."""
        count = len(self.offices)
        return total // count + (1 if index < total % count else 0)

    def phase(self, name: str) -> None:
        """Close the phase under way, named `name`, and time it."""
        now = time.perf_counter()
        self.phases.append((name, now - self.started))
        self.started = now

    def run(self, *, rebuild_indexes: bool | None = None) -> dict[str, int]:
        postgres = connection.vendor == "postgresql"
        # Everything read from the database is read first: from the first row handed to the
        # COPY thread until it is done, this thread leaves the connection to it.
        officers, before = self.officers()
        persons = self.scale // ACTIVITIES_PER_PERSON
        existing = self.existing_persons() if not persons else []
        bulk_tables = [self.tables[name].db_table for name in REBUILT]
        if rebuild_indexes is None:
            rebuild_indexes = postgres and self.scale >= max(
                REBUILD_INDEXES_FROM, Activity.objects.count()
            )
        indexes = Indexes.drop(bulk_tables) if postgres and rebuild_indexes else None
        unchecked_triggers = postgres and skip_foreign_key_triggers(
            [table.model for table in self.tables.values()],
            recounted=warnings.COUNT_TRIGGERS + name_triggers.POSTGRES_TRIGGERS,
        )
        self.phase("prepare")
        if postgres:
            self.writer = CopyWriter(self.batch_size)
        # Millions of rows built and held in batches, none in a reference cycle: the cyclic
        # collector's passes over them cost a quarter of the time and would free nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            earliest = self.write_rows(officers, before, persons, existing)
            self.writer.close(self.tables.values())
        except BaseException:
            self.writer.abort()
            raise
        finally:
            if collecting:
                gc.enable()
        self.phase("generate and write")
        generated = self.phases[-1][1]
        self.ids.finish()
        Membership.objects.filter(
            user__username__startswith=OFFICER_PREFIX,
            role=Membership.Role.OFFICER,
            start_date__gt=earliest,
        ).update(start_date=earliest)
        if existing:
            changed = warnings.refresh_warning_columns([person[0] for person in existing])
        else:
            changed = self.never_checked()
        if unchecked_triggers:
            # After the updates: one of a row inserted in this transaction queues a check of
            # each of its keys, and an index cannot be built over a table with checks queued.
            restore_triggers()
        # The per-office warning counts and the lookup's table of names, recounted once rather
        # than row by row (their triggers were skipped with the foreign-key checks, or fired
        # for every row written).
        warnings.rebuild_counts()
        name_triggers.rebuild_names(connection)
        self.phase("warning columns")
        if indexes:
            indexes.build()
            self.phase("rebuild indexes")
        if postgres:
            analyse([table.db_table for table in self.tables.values()])
            self.phase("analyse")
        # The evaluation pages' rollups of the reports just written (no event reached them).
        fill_rollups(
            from_report=self.first_report, progress=self.progress, rebuild_indexes=bool(indexes)
        )
        self.phase("rollups")
        self.report_phases(generated, changed, indexes, unchecked_triggers)
        return {name: table.written for name, table in self.tables.items()}

    def report_phases(self, generated, changed, indexes, unchecked_triggers) -> None:
        self.progress(
            "  phases: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases)
        )
        waited = getattr(self.writer, "waited", None)
        busiest = sorted(self.tables.values(), key=lambda table: -table.seconds)[:5]
        writing = ", ".join(f"{table.db_table} {table.seconds:.1f} s" for table in busiest)
        if waited is None:
            self.progress(f"  writing (inside generate and write): {writing}")
        else:
            self.progress(
                f"  COPY thread busy: {writing}; the generator waited {waited:.1f} s of "
                f"{generated:.1f} s for it; foreign-key triggers "
                + (
                    "skipped (keys handed out here; the tables they name locked against writers)"
                    if unchecked_triggers
                    else "on"
                )
            )
        if indexes:
            slowest = sorted(indexes.seconds, reverse=True)[:3]
            self.progress(
                f"  {len(indexes.definitions)} secondary indexes dropped and rebuilt; slowest: "
                + ", ".join(f"{name} {seconds:.1f} s" for seconds, name in slowest)
            )
        self.progress(f"  warning columns: {changed:,} persons changed after the load")

    def write_rows(self, officers, before, persons: int, existing: list[tuple]) -> datetime.date:
        """Every row of the run handed to the writer; returns the earliest report date."""
        sponsors = max(1, persons // PERSONS_PER_SPONSOR)
        places = max(len(self.offices) * 2, self.scale // ACTIVITIES_PER_PLACE)
        self.places: list[list[tuple]] = []
        self.places_by_source: list[dict[str, list[tuple]]] = []
        self.persons: list[list[tuple]] = []
        self.first_person = self.ids.next["persons"]
        # One byte per new person: set by its first check. Each is checked, if at all, only by
        # its own office, so the office of its latest check is known before its row is written.
        self.checked = bytearray(persons)
        self.normalized: dict[str, str] = {}
        self.write_users(officers)
        for index, office in enumerate(self.offices):
            office_sponsors = self.sponsors(office, max(1, self.share(sponsors, index)))
            office_places = self.new_places(office, max(2, self.share(places, index)))
            self.places.append(office_places)
            self.places_by_source.append(
                {
                    source: [p for p in office_places if p[2] in kinds]
                    for source, kinds in SOURCE_PLACES.items()
                }
            )
            self.persons.append(
                self.new_persons(office, self.share(persons, index), office_sponsors)
            )
        if existing:
            self.persons = [existing for _office in self.offices]
        earliest = self.reports(officers, before)
        self.memberships(officers, earliest)
        return earliest

    def never_checked(self) -> int:
        """Clear the check office written with each new person that no check of this run
        reached (a few per cent)."""
        first = self.first_person
        unchecked = [first + i for i, seen in enumerate(self.checked) if not seen]
        for start in range(0, len(unchecked), 900):
            ForeignNational._base_manager.filter(pk__in=unchecked[start : start + 900]).update(
                last_check_office=None
            )
        return len(unchecked)

    def officers(self) -> tuple[list[tuple[int, int, int]], datetime.date]:
        """The bulk officers as (user, unit, office index), spread over every office's teams,
        and the day before which this run writes their reports: a later run reuses them and
        goes further back, so more activities means more history for the same units."""
        office_of_team = {team: i for i, office in enumerate(self.offices) for team in office.teams}
        self.new_officers: list[tuple[int, int, int]] = []
        existing = [
            (user_id, unit_id, office_of_team[unit_id])
            for user_id, unit_id in Membership.objects.filter(
                user__username__startswith=OFFICER_PREFIX, role=Membership.Role.OFFICER
            )
            .order_by("user_id")
            .values_list("user_id", "unit_id")
            if unit_id in office_of_team
        ]
        if existing:
            earliest = DailyReport.objects.filter(
                officer_id__in=[row[0] for row in existing[:50]]
            ).aggregate(models.Min("report_date"))["report_date__min"]
            return existing, earliest or self.today
        count = min(OFFICERS, max(len(self.offices) * 2, self.scale // ACTIVITIES_PER_OFFICER))
        teams = [(team, i) for i, office in enumerate(self.offices) for team in office.teams]
        for number in range(1, count + 1):
            team, index = teams[number % len(teams)]
            self.new_officers.append((self.ids.take("users"), team, index))
        return self.new_officers, self.today

    def write_users(self, officers) -> None:
        password = make_password(None)
        for number, (user_id, _team, index) in enumerate(self.new_officers, start=1):
            sex = self.rng.choice("MF")
            self.add(
                "users",
                (
                    user_id, password, None, False, f"{OFFICER_PREFIX}{number:04d}", "", "", "",
                    False, True, self.stamp,
                    names.indonesian_name(self.rng, self.offices[index].style, sex), "", "",
                    "Analis Keimigrasian", "", "", None,
                ),
            )  # fmt: skip

    def memberships(self, officers, earliest: datetime.date) -> None:
        for user_id, unit_id, _index in self.new_officers:
            self.add(
                "memberships",
                (self.ids.take("memberships"), user_id, unit_id, "officer", earliest, None, False),
            )

    def sponsors(self, office, count: int) -> list[int]:
        ids = []
        for _ in range(count):
            sponsor_id = self.ids.take("sponsors")
            regency = self.rng.choice(office.regencies)
            address = self.areas.address(self.rng, regency, office.style)[2]
            # "90…" never matches the demo's own NIBs ("912…"); the id keeps it unique.
            nib = f"90{sponsor_id:011d}"
            name = names.company_name(self.rng, office.style)
            self.add(
                "sponsors", (sponsor_id, "corporation", name, nib, address, regency, "", self.stamp)
            )
            ids.append(sponsor_id)
        return ids

    def new_places(self, office, count: int) -> list[tuple]:
        kinds, weights = weighted(PLACE_KIND_WEIGHTS[office.style])
        places = []
        for _ in range(count):
            place_id = self.ids.take("places")
            kind = self.rng.choices(kinds, weights)[0]
            regency = self.rng.choice(office.regencies)
            district, village, address = self.areas.address(self.rng, regency, office.style)
            name = place_name(self.rng, kind, office.style, village)
            latitude, longitude = _point(self.rng, office.boxes[regency])
            self.add(
                "places",
                (
                    place_id, name, normalize_name(name), kind, address, regency, district.code,
                    village.code, f"{latitude:.6f}", f"{longitude:.6f}", None, None, self.stamp,
                ),
            )  # fmt: skip
            places.append((place_id, name, kind, latitude, longitude))
        return places

    def new_persons(self, office, count: int, sponsors: list[int]) -> list[tuple]:
        nationalities, weights = names.nationality_weights(office.style)
        today = self.today
        rng = self.rng
        normalized = self.normalized
        persons = []
        for nationality in rng.choices(nationalities, weights, k=count):
            person_id = self.ids.take("persons")
            sex = "M" if rng.random() < 0.68 else "F"
            full_name = names.person_name(rng, nationality, sex)
            normalized_name = normalized.get(full_name)
            if normalized_name is None:  # names repeat: each is normalised once
                normalized_name = normalized[full_name] = normalize_name(full_name)
            permit_type = rng.choice(PERMIT_TYPES)
            sponsor_id = rng.choice(sponsors) if permit_type != "SERVICE" else None
            regency = rng.choice(office.regencies)
            address = self.areas.address(rng, regency, office.style)[2]
            draw = rng.random()
            if draw < 0.1 and permit_type != "SERVICE":
                valid_until = today - datetime.timedelta(days=rng.randint(2, 400))
            else:
                valid_until = today + datetime.timedelta(days=rng.randint(3, 700))
            # The person's one permit is their latest: its end is the warning column already;
            # the office of the latest check is theirs (cleared after the load if none came).
            self.add(
                "persons",
                (
                    person_id, full_name, normalized_name, sex,
                    today - datetime.timedelta(days=rng.randint(22 * 365, 65 * 365)),
                    rng.choice(names.NATIONALITIES[nationality].birth_places), nationality,
                    rng.choice(OCCUPATIONS[permit_type]), address, regency, sponsor_id, None,
                    None, self.stamp, self.stamp, valid_until, office.pk,
                ),
            )  # fmt: skip
            self.add(
                "documents",
                (
                    self.ids.take("documents"), person_id, "passport",
                    names.bulk_passport_number(nationality, person_id), nationality,
                    today + datetime.timedelta(days=rng.randint(100, 3000)), self.stamp,
                ),
            )  # fmt: skip
            permit_id = self.ids.take("permits")
            indexes = self.visa_indexes.get(permit_type)
            self.add(
                "permits",
                (
                    permit_id, person_id, permit_type, rng.choice(indexes) if indexes else None,
                    f"B{permit_id:09d}", None, valid_until, sponsor_id, self.stamp,
                ),
            )  # fmt: skip
            persons.append((person_id, permit_id, valid_until.toordinal(), full_name, permit_type))
        return persons

    def existing_persons(self) -> list[tuple]:
        return [
            (p.person_id, p.pk, p.valid_until.toordinal(), p.person.full_name, p.permit_type)
            for p in StayPermit.objects.select_related("person")
            .exclude(valid_until__isnull=True)
            .order_by("-pk")[:1000]
        ]

    def reports(self, officers, before: datetime.date) -> datetime.date:
        """Officer-days going back from the day before `before` until `scale` activities are
        written; returns the earliest day written."""
        remaining = self.scale
        day = before
        age = (self.today - before).days
        started = time.perf_counter()
        next_progress = 100_000
        while remaining > 0:
            day -= datetime.timedelta(days=1)
            if day not in self.working:
                continue
            age += 1
            day_text = day.isoformat()
            midnights = [
                datetime.datetime.combine(day, datetime.time(0), tzinfo=office.zone)
                for office in self.offices
            ]
            for user_id, unit_id, index in officers:
                if remaining <= 0:
                    break
                count = min(remaining, self.rng.choice((1, 2, 2, 3)))
                self.report(user_id, unit_id, index, day, day_text, midnights[index], age, count)
                remaining -= count
                done = self.scale - remaining
                if done >= next_progress:
                    rate = done / (time.perf_counter() - started)
                    self.progress(f"  {done:,} activities ({rate:,.0f}/s), back to {day}")
                    next_progress += 100_000
        return day

    def report(self, user_id, unit_id, index, day, day_text, midnight, age, count) -> None:
        rng = self.rng
        office = self.offices[index]
        report_id = self.ids.take("reports")
        minute = rng.randint(450, 510)
        opened_at = midnight + datetime.timedelta(minutes=minute)
        snapshot = []
        last_end = midnight
        day_ordinal = day.toordinal()
        for _ in range(count):
            started_at = midnight + datetime.timedelta(minutes=minute)
            ended_at = started_at + datetime.timedelta(minutes=rng.randint(45, 150))
            activity = self.activity(index, report_id, started_at, ended_at, day, day_ordinal)
            snapshot.append(activity)
            minute += int((ended_at - started_at).total_seconds() // 60) + rng.randint(15, 60)
            last_end = ended_at
        draw = rng.random()
        if age <= 2:
            status = "submitted" if draw < 0.5 else "approved" if draw < 0.7 else "draft"
            revisions = 0 if status == "draft" else 1
        elif draw < 0.85:
            status, revisions = "approved", 1
        elif draw < 0.90:
            status, revisions = "returned", 1
        elif draw < 0.9025 and age <= 30:
            # Leaders decide within days: only a few reports of the last weeks still wait.
            status, revisions = "submitted", 1
        elif draw < 0.94:
            status, revisions = "draft" if age <= 30 else "approved", 0 if age <= 30 else 1
        else:
            status, revisions = "approved", 2
        submitted_at = decided_at = decided_by = None
        first_submitted_at = None
        is_late = False
        return_reason = correction_reason = ""
        updated = activity["ended_at"]
        first_submitted = submitted = decided = None
        if revisions:
            late = rng.random() < 0.08
            minutes_after = rng.randint(10, 180) if late else 0
            first_submitted_at = max(
                last_end + datetime.timedelta(minutes=rng.randint(10, 60)),
                midnight + datetime.timedelta(minutes=DEADLINE_MINUTES + minutes_after)
                if late
                else last_end,
            )
            is_late = first_submitted_at > midnight + datetime.timedelta(minutes=DEADLINE_MINUTES)
            submitted_at = first_submitted_at
            if revisions == 2:
                correction_reason = rng.choice(CORRECTION_REASONS)
                submitted_at = first_submitted_at + datetime.timedelta(days=1, hours=2)
            if status in ("approved", "returned"):
                decided_at = submitted_at + datetime.timedelta(hours=rng.randint(13, 40))
                decided_by = rng.choice(office.deciders)
                if status == "returned":
                    return_reason = rng.choice(RETURN_REASONS)
            first_submitted = first_submitted_at.isoformat()
            submitted = submitted_at.isoformat() if revisions == 2 else first_submitted
            decided = decided_at.isoformat() if decided_at else None
            updated = decided or submitted
        self.add(
            "reports",
            (
                report_id, user_id, unit_id, day_text, status, revisions, first_submitted,
                submitted, is_late, decided, decided_by, return_reason, correction_reason,
                opened_at.isoformat(), updated,
            ),
        )  # fmt: skip
        for number in range(1, revisions + 1):
            at = first_submitted if number == 1 else submitted
            content = {
                "report_date": day_text,
                "officer": user_id,
                "unit": unit_id,
                "activities": snapshot,
            }
            reason = correction_reason if number == 2 else ""
            self.add(
                "revisions",
                (self.ids.take("revisions"), report_id, number, content, at, user_id, reason, None),
            )

    def activity(self, index, report_id, started_at, ended_at, day, day_ordinal) -> dict:
        rng = self.rng
        office = self.offices[index]
        places_by_source, places = self.places_by_source[index], self.places[index]
        activity_id = self.ids.take("activities")
        field = rng.random() < 0.75
        warrant_number, warrant_date, to_follow = "", None, False
        latitude = longitude = accuracy = None
        location_source = "none"
        if field:
            share = rng.random() * FIELD_SOURCE_CUMULATIVE[-1]
            kind, source = (
                "field",
                FIELD_SOURCE_NAMES[bisect.bisect(FIELD_SOURCE_CUMULATIVE, share)],
            )
            place = rng.choice(places_by_source.get(source) or places)
            if rng.random() < 0.08:
                to_follow = True
            else:
                warrant_number = f"{WARRANT_PREFIXES[office.style]}-{rng.randint(100, 9999)}"
                warrant_date = day - datetime.timedelta(days=rng.choice((0, 0, 1, 2)))
            latitude = f"{place[3] + rng.uniform(-0.0003, 0.0003):.6f}"
            longitude = f"{place[4] + rng.uniform(-0.0003, 0.0003):.6f}"
            accuracy, location_source = rng.randint(4, 35), "gps"
            description = DESCRIPTIONS[source].format(place=place[1])
            count = rng.choice(CHECK_COUNTS_FIELD)
        else:
            kind, source = "administrative", rng.choice(ADMINISTRATIVE_SOURCES)
            place = (
                rng.choice(places_by_source.get(source) or places) if rng.random() < 0.4 else None
            )
            description = ADMINISTRATIVE_DESCRIPTIONS[source]
            count = rng.choice(CHECK_COUNTS_ADMINISTRATIVE)
        started, ended = started_at.isoformat(), ended_at.isoformat()
        warrant_day = warrant_date.isoformat() if warrant_date else None
        checks, findings = self.checks(
            self.persons[index], activity_id, count, field, ended, day_ordinal
        )
        if findings:
            conclusion = f"Diperiksa {len(checks)} orang asing; {len(findings)} dugaan pelanggaran."
            recommendation = rng.choice(RECOMMENDATIONS_FINDING)
        else:
            conclusion = f"Diperiksa {len(checks)} orang asing; sesuai izin tinggal."
            recommendation = rng.choice(RECOMMENDATIONS_CLEAN)
        classification = "closed" if source == "intelligence" else "open"
        self.add(
            "activities",
            (
                activity_id, report_id, self.client_id(), kind, source, classification,
                warrant_number, warrant_day, to_follow, started, ended,
                place[0] if place else None, latitude, longitude, accuracy, location_source,
                description, conclusion, recommendation, ended, ended,
            ),
        )  # fmt: skip
        return {
            "id": activity_id,
            "kind": kind,
            "source": source,
            "classification": classification,
            "warrant_number": warrant_number,
            "warrant_date": warrant_day,
            "warrant_to_follow": to_follow,
            "started_at": started,
            "ended_at": ended,
            "place": {"id": place[0], "name": place[1]} if place else None,
            "latitude": latitude,
            "longitude": longitude,
            "description": description,
            "conclusion": conclusion,
            "recommendation": recommendation,
            "checks": checks,
            "findings": findings,
            "evidence": [],
        }

    def checks(self, persons, activity_id, count, field, at, day_ordinal) -> tuple[list, list]:
        """Rows for the checks (and their findings) of one activity, of persons living in the
        office's area, and their snapshot form."""
        rng = self.rng
        if not persons or not count:
            return [], []
        random, size = rng.random, len(persons)
        chosen = sorted({int(random() * size) for _ in range(count)})
        checks = []
        findings = []
        checked, first = self.checked, self.first_person
        for index in chosen:
            person_id, permit_id, valid_until, full_name, permit_type = persons[index]
            if checked:
                checked[person_id - first] = 1
            check_id = self.ids.take("checks")
            code = overstay = None
            if valid_until < day_ordinal:
                overstay = day_ordinal - valid_until
                code = (
                    "overstay_gte_60" if overstay >= OVERSTAY_THRESHOLD_DAYS else "overstay_lt_60"
                )
            elif rng.random() < 0.04:
                code = rng.choice(OTHER_FINDINGS)
            if code is None:
                result, matches = "compliant", True
            else:
                result = "taken_to_office" if rng.random() < 0.2 else "finding"
                matches = False
            method = rng.choice(METHODS) if field else "system_lookup"
            self.add(
                "checks",
                (
                    check_id, activity_id, self.client_id(), person_id, permit_id, method, "",
                    matches, result, "", at,
                ),
            )  # fmt: skip
            if code is not None:
                description = f"Overstay {overstay} hari." if overstay else ""
                findings.append(
                    {
                        "violation_type": code,
                        "person": person_id,
                        "description": description,
                        "overstay_days": overstay,
                    }
                )
                self.add(
                    "findings",
                    (
                        self.ids.take("findings"), activity_id, self.client_id(), check_id,
                        person_id, self.violations[code], description, overstay, at,
                    ),
                )  # fmt: skip
            checks.append(
                {
                    "person": {"id": person_id, "name": full_name},
                    "permit": permit_id,
                    "verification_method": method,
                    "activity_observed": "",
                    "matches_permit": matches,
                    "result": result,
                    "notes": "",
                }
            )
        return checks, findings


@transaction.atomic
def fill_rollups(
    *,
    from_report: int = 0,
    progress: Callable[[str], None] | None = None,
    rebuild_indexes: bool | None = None,
) -> int:
    """The insights rollups of the filed reports from `from_report` on that have none
    (insights/bulk_rollups.py), with the rollup tables' per-row foreign-key checks skipped when
    the role may: every key a rollup row holds is copied from a report's row, and at ten million
    activities the queued checks alone took eight minutes. Returns how many officer-days."""
    postgres = connection.vendor == "postgresql"
    unchecked = postgres and skip_foreign_key_triggers(ROLLUP_MODELS)
    days = bulk_rollups.fill(
        from_report=from_report,
        progress=progress,
        rebuild_indexes=rebuild_indexes,
        drop_indexes=Indexes.drop,
    )
    if unchecked:
        restore_triggers()
    if postgres:
        analyse([model._meta.db_table for model in ROLLUP_MODELS])
    return days


@transaction.atomic
def generate(
    *,
    scale: int,
    batch_size: int = 10_000,
    now: datetime.datetime | None = None,
    progress: Callable[[str], None] | None = None,
    rebuild_indexes: bool | None = None,
) -> dict[str, int]:
    """Add `scale` activities (and what goes with them) in bulk; one audit event for it all.
    PostgreSQL rebuilds the bulk tables' secondary indexes after the load when
    `rebuild_indexes`, by default when the run at least doubles the activities (and adds
    REBUILD_INDEXES_FROM or more): readers of those tables then wait until the commit."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    started = time.perf_counter()
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    generator = Generator(scale=scale, batch_size=batch_size, now=now, progress=progress)
    written = generator.run(rebuild_indexes=rebuild_indexes)
    audit.record(
        action="demo.bulk_generate",
        summary={
            "scale": scale,
            "rows": written,
            "seconds": round(time.perf_counter() - started, 1),
            "database": connection.vendor,
        },
    )
    return written
