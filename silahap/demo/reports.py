"""Thirty days of daily reports for the demo officers, made through the report services.

Each officer-day is planned from its own seeded random.Random, as a chain of timed steps (the
activities with their checks and findings, the submit, the leader's decision, a fix or a
correction). The steps of every officer are then run in time order with the clock set to each
step's moment, so timestamps and the audit trail read like the month really happened. A step
that would fall after the present is not taken: the report stays in the state it had reached.
An officer-day that already has a report is left alone, which makes a second run add nothing.
"""

from __future__ import annotations

import datetime
import enum
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

import holidays
import time_machine

from silahap.accounts.models import User
from silahap.registry.models import Place
from silahap.reports import services
from silahap.reports.models import (
    Activity,
    ActivityKind,
    ActivitySource,
    CheckResult,
    DailyReport,
    VerificationMethod,
    ViolationType,
)

from .registry import OFFICE_ZONES, DemoPerson, DemoRegistry

WINDOW_DAYS = 30
NAMESPACE = uuid.UUID("5b1f3c52-8d8e-4f0a-9c55-2a6e51a1d0e7")
DECIDERS = {
    "KANIM-TNG": ("kasi.tng", "kasi.tng", "kasi.tng", "kakanim.tng"),
    "KANIM-DPS": ("kasi.dps",),
    "KANIM-JYP": ("kasi.jyp",),
}
# Outgoing-letter numbers of each office's Inteldakim section (the form officers quote).
WARRANT_PREFIXES = {
    "KANIM-TNG": "W.9.IMI.IMI.4-GR.02.03",
    "KANIM-DPS": "W.20.IMI.IMI.1-GR.02.03",
    "KANIM-JYP": "W.30.IMI.IMI.1-GR.02.03",
}
DEADLINES = {"KANIM-TNG": 20, "KANIM-DPS": 20, "KANIM-JYP": 19}
VIOLATION_NAMES = {
    "overstay_lt_60": "Overstay kurang dari 60 hari",
    "overstay_gte_60": "Overstay 60 hari atau lebih",
    "permit_misuse": "Penyalahgunaan Izin Tinggal",
    "unauthorized_work": "Bekerja tanpa izin atau tidak sesuai Izin Tinggal",
    "no_document": "Tidak dapat menunjukkan dokumen perjalanan atau Izin Tinggal",
    "unreported_change": "Tidak melaporkan perubahan alamat atau status sipil",
    "illegal_entry": "Masuk tidak melalui Tempat Pemeriksaan Imigrasi",
    "sponsor_absent": "Penjamin tidak berada di alamat",
    "other": "Pelanggaran lain",
}
# UU 6/2011 Pasal 78: from day 60 of an overstay the charge gives way to deportation.
OVERSTAY_THRESHOLD_DAYS = 60


class Outcome(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    RETURNED_RESUBMITTED = "returned, fixed, submitted again"
    RETURNED_APPROVED = "returned, fixed, approved"
    CORRECTED = "approved, corrected, approved again"


# petugas.tng1 shows every state (issue "Foundation II"): ages are working days before today.
FORCED_OUTCOMES = {
    "petugas.tng1": {
        1: Outcome.SUBMITTED,
        2: Outcome.RETURNED,
        3: Outcome.APPROVED,
        4: Outcome.RETURNED_APPROVED,
        6: Outcome.CORRECTED,
    }
}

FIELD_SOURCES = (
    "independent 25 joint_timpora 12 patrol 12 complaint 10 apoa 10 sponsor_check 8 "
    "address_check 10 agency_request 5 intelligence 5 national 3"
)
ADMINISTRATIVE_SOURCES = ("apoa", "address_check", "sponsor_check", "agency_request", "complaint")
DESCRIPTIONS = {
    "independent": "Pengawasan keimigrasian mandiri di {place}: pemeriksaan dokumen perjalanan "
    "dan izin tinggal orang asing yang berada di lokasi.",
    "joint_timpora": "Operasi gabungan Timpora bersama Polres dan Satpol PP di {place}.",
    "national": "Pelaksanaan operasi nasional Jagratara di {place}.",
    "intelligence": "Pengumpulan bahan keterangan tentang keberadaan orang asing di {place}.",
    "patrol": "Patroli keimigrasian di {place} dan sekitarnya.",
    "complaint": "Tindak lanjut pengaduan masyarakat tentang orang asing di {place}.",
    "apoa": "Pencocokan data APOA dengan tamu asing yang menginap di {place}.",
    "sponsor_check": "Pemeriksaan keberadaan dan kegiatan penjamin di {place}.",
    "address_check": "Pengecekan alamat domisili pemohon izin tinggal di {place}.",
    "agency_request": "Pemeriksaan tenaga kerja asing atas permintaan Disnaker di {place}.",
}
ADMINISTRATIVE_DESCRIPTIONS = {
    "apoa": "Analisis data APOA hotel dan penginapan di wilayah kerja.",
    "address_check": "Pemeriksaan berkas permohonan izin tinggal dan alamat yang dinyatakan.",
    "sponsor_check": "Pemeriksaan dokumen penjamin atas permohonan perpanjangan ITAS.",
    "agency_request": "Penelaahan data orang asing atas permintaan instansi terkait.",
    "complaint": "Penelaahan pengaduan masyarakat yang masuk melalui layanan pengaduan.",
}
RECOMMENDATIONS_CLEAN = (
    "Pengawasan berkala dilanjutkan.",
    "Pengelola diingatkan untuk melaporkan tamu asing melalui APOA.",
    "Koordinasi dengan Timpora kecamatan untuk pengawasan lanjutan.",
)
RECOMMENDATIONS_FINDING = (
    "Dilanjutkan dengan pemanggilan dan pemeriksaan (BAP) di kantor.",
    "Diusulkan gelar kasus untuk menentukan Tindakan Administratif Keimigrasian.",
    "Penjamin dipanggil untuk dimintai keterangan.",
)
RETURN_REASONS = (
    "Kesimpulan dan rekomendasi belum lengkap; mohon dilengkapi.",
    "Titik lokasi tidak sesuai dengan alamat objek; mohon diperiksa kembali.",
    "Uraian hasil pengawasan terlalu singkat.",
    "Data izin tinggal WNA yang diperiksa belum dicantumkan dengan benar.",
)
CORRECTION_REASONS = (
    "Koreksi uraian: jumlah WNA yang diperiksa tertulis keliru.",
    "Perbaikan nama objek pengawasan sesuai hasil pengecekan ulang.",
    "Penambahan rekomendasi tindak lanjut atas arahan pimpinan.",
)
WORKPLACES = {"factory", "company", "industrial_estate", "project_site"}
LODGINGS = {"hotel", "villa", "apartment", "residence", "boarding_house"}
# Where each kind of work takes an officer; other sources go anywhere.
SOURCE_PLACES = {
    "apoa": LODGINGS,
    "address_check": {"residence", "apartment", "boarding_house", "villa"},
    "sponsor_check": {"company", "factory", "industrial_estate"},
    "agency_request": WORKPLACES | {"restaurant", "spa_salon"},
}
OBSERVED = {
    "lodging": "Berada di tempat tinggal/penginapan",
    "leisure": "Sedang makan/bersantai di lokasi",
    "school": "Mengikuti kegiatan di sekolah",
    "worship": "Mengikuti kegiatan ibadah",
}


def key(*parts) -> uuid.UUID:
    """A fixed client id per planned step: a repeated run finds the first, never a second."""
    return uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts))


def violation_types() -> dict[str, ViolationType]:
    """The seeded violation types; a missing one is added minimally so the demo still runs."""
    found = {v.code: v for v in ViolationType.objects.filter(code__in=list(VIOLATION_NAMES))}
    for code, name in VIOLATION_NAMES.items():
        if code not in found:
            found[code] = ViolationType.objects.create(code=code, name=name, article="UU 6/2011")
    return found


class WorkingDays:
    """Weekdays that are not Indonesian public holidays."""

    def __init__(self, years: list[int]):
        self.holidays = holidays.country_holidays("ID", years=years)

    def __contains__(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def after(self, day: datetime.date) -> datetime.date:
        day += datetime.timedelta(days=1)
        while day not in self:
            day += datetime.timedelta(days=1)
        return day


@dataclass
class PlannedFinding:
    code: str
    description: str
    overstay_days: int | None = None


@dataclass
class PlannedCheck:
    person: DemoPerson
    verification_method: str
    activity_observed: str
    matches_permit: bool | None
    result: str
    show_permit: bool
    finding: PlannedFinding | None


@dataclass
class PlannedActivity:
    fields: dict
    checks: list[PlannedCheck]


@dataclass
class Run:
    """One officer-day while its steps are being taken."""

    officer: User
    office: str
    day: datetime.date
    report: DailyReport | None = None
    activities: list[Activity] = field(default_factory=list)


Step = tuple[datetime.datetime, Callable[[], None]]


@dataclass
class Context:
    now: datetime.datetime
    places: dict[str, list[Place]]
    persons: dict[str, list[DemoPerson]]
    by_regency: dict[str, list[DemoPerson]]
    expired: dict[str, list[DemoPerson]]
    leaders: dict[str, User]
    violations: dict[str, ViolationType]
    working: WorkingDays


def _weighted(spec: str) -> tuple[list[str], list[int]]:
    words = spec.split()
    return words[0::2], [int(weight) for weight in words[1::2]]


FIELD_SOURCE_NAMES, FIELD_SOURCE_WEIGHTS = _weighted(FIELD_SOURCES)


def _at(office: str, day: datetime.date, minutes: int) -> datetime.datetime:
    midnight = datetime.datetime.combine(day, datetime.time(0), tzinfo=OFFICE_ZONES[office])
    return midnight + datetime.timedelta(minutes=minutes)


def place_for(rng: random.Random, places: list[Place], source: str) -> Place:
    """A place that suits the source (APOA at a lodging, a sponsor at a company…)."""
    wanted = SOURCE_PLACES.get(source)
    suitable = [p for p in places if p.kind in wanted] if wanted else places
    return rng.choice(suitable or places)


def _observed(place: Place | None, person: DemoPerson) -> str:
    if place is None:
        return "Pemeriksaan data melalui sistem"
    if place.kind in WORKPLACES:
        return f"Bekerja: {person.spec.occupation.lower()}"
    if place.kind in LODGINGS:
        return OBSERVED["lodging"]
    if place.kind in ("school", "worship"):
        return OBSERVED[place.kind]
    return OBSERVED["leisure"]


def _plan_check(
    rng: random.Random, day: datetime.date, place: Place | None, person: DemoPerson
) -> PlannedCheck:
    permit = person.permit
    method = (
        rng.choices(
            ["permit_qr", "physical_document", "system_lookup", "statement"], [40, 35, 15, 10]
        )[0]
        if place is not None
        else VerificationMethod.SYSTEM_LOOKUP
    )
    observed = _observed(place, person)
    if permit is not None and permit.valid_until is not None and permit.valid_until < day:
        days = (day - permit.valid_until).days
        over = days >= OVERSTAY_THRESHOLD_DAYS
        taken = rng.random() < (0.6 if over else 0.2)
        return PlannedCheck(
            person,
            method,
            observed,
            False,
            CheckResult.TAKEN_TO_OFFICE if taken else CheckResult.FINDING,
            True,
            PlannedFinding(
                "overstay_gte_60" if over else "overstay_lt_60",
                f"Izin tinggal {permit.permit_type} berlaku sampai "
                f"{permit.valid_until:%d-%m-%Y}; overstay {days} hari.",
                days,
            ),
        )
    if place is None or rng.random() >= 0.08:
        return PlannedCheck(person, method, observed, True, CheckResult.COMPLIANT, True, None)
    result = CheckResult.TAKEN_TO_OFFICE if rng.random() < 0.25 else CheckResult.FINDING
    if permit is not None and permit.permit_type == "ITK" and place.kind in WORKPLACES:
        finding = PlannedFinding(
            "unauthorized_work", "Pemegang ITK (kunjungan) didapati bekerja di lokasi."
        )
        return PlannedCheck(person, method, "Bekerja di lokasi", False, result, True, finding)
    code = rng.choice(("permit_misuse", "unreported_change", "sponsor_absent", "no_document"))
    if code == "no_document":
        finding = PlannedFinding(
            code, "Tidak dapat menunjukkan paspor dan izin tinggal asli saat diperiksa."
        )
        return PlannedCheck(person, "statement", observed, None, result, False, finding)
    description = {
        "permit_misuse": "Kegiatan di lokasi tidak sesuai dengan maksud pemberian izin tinggal.",
        "unreported_change": "Tinggal di alamat baru tanpa melaporkan perubahan alamat.",
        "sponsor_absent": "Penjamin tidak berada di alamat yang tercantum dalam izin tinggal.",
    }[code]
    matches = code != "permit_misuse"
    finding = PlannedFinding(code, description)
    return PlannedCheck(person, method, observed, matches, result, True, finding)


def _pick_persons(
    rng: random.Random, ctx: Context, office: str, place: Place | None, count: int
) -> list[DemoPerson]:
    chosen: dict[int, DemoPerson] = {}
    for _ in range(count * 3):
        if len(chosen) >= count:
            break
        draw = rng.random()
        if draw < 0.1 and ctx.expired[office]:
            pool = ctx.expired[office]
        elif place is not None and draw < 0.85 and ctx.by_regency.get(place.regency_id):
            pool = ctx.by_regency[place.regency_id]
        else:
            pool = ctx.persons[office]
        person = rng.choice(pool)
        chosen.setdefault(person.person.pk, person)
    return list(chosen.values())


def _plan_activity(
    rng: random.Random,
    ctx: Context,
    run: Run,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
) -> PlannedActivity:
    office, day = run.office, run.day
    if rng.random() < 0.75:
        kind = ActivityKind.FIELD
        source = rng.choices(FIELD_SOURCE_NAMES, FIELD_SOURCE_WEIGHTS)[0]
        place = place_for(rng, ctx.places[office], source)
        count = rng.choice((0, 1, 1, 2, 2, 3))
    else:
        kind = ActivityKind.ADMINISTRATIVE
        source = rng.choice(ADMINISTRATIVE_SOURCES)
        place = place_for(rng, ctx.places[office], source) if rng.random() < 0.4 else None
        count = rng.choice((0, 0, 1))
    fields: dict = {
        "kind": kind,
        "source": source,
        "classification": (
            Activity.Classification.CLOSED
            if source == ActivitySource.INTELLIGENCE
            else Activity.Classification.OPEN
        ),
        "started_at": started_at,
        "ended_at": ended_at,
        "place": place,
    }
    if kind == ActivityKind.FIELD:
        urgent = source in ("complaint", "intelligence") and rng.random() < 0.4
        if urgent or rng.random() < 0.05:
            fields["warrant_to_follow"] = True
        else:
            fields["warrant_number"] = f"{WARRANT_PREFIXES[office]}-{rng.randint(100, 4999)}"
            fields["warrant_date"] = day - datetime.timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
        if rng.random() < 0.85:
            fields["latitude"] = place.latitude + Decimal(rng.randint(-300, 300)) / 1_000_000
            fields["longitude"] = place.longitude + Decimal(rng.randint(-300, 300)) / 1_000_000
            fields["location_accuracy_m"] = rng.randint(4, 35)
            fields["location_source"] = "gps"
        else:
            fields["latitude"], fields["longitude"] = place.latitude, place.longitude
            fields["location_source"] = "place"
        fields["description"] = DESCRIPTIONS[source].format(place=place.name)
    else:
        fields["description"] = ADMINISTRATIVE_DESCRIPTIONS[source]
    checks = [
        _plan_check(rng, day, place, p) for p in _pick_persons(rng, ctx, office, place, count)
    ]
    findings = sum(1 for check in checks if check.finding)
    if findings:
        fields["conclusion"] = (
            f"Diperiksa {len(checks)} orang asing; ditemukan {findings} dugaan pelanggaran."
        )
        fields["recommendation"] = rng.choice(RECOMMENDATIONS_FINDING)
    elif checks:
        fields["conclusion"] = (
            f"Diperiksa {len(checks)} orang asing; dokumen dan kegiatan sesuai izin tinggal."
        )
        fields["recommendation"] = rng.choice(RECOMMENDATIONS_CLEAN)
    else:
        fields["conclusion"] = "Tidak dijumpai orang asing pada saat pengawasan."
        fields["recommendation"] = rng.choice(RECOMMENDATIONS_CLEAN)
    return PlannedActivity(fields, checks)


def _outcome(rng: random.Random, username: str, age: int) -> Outcome:
    forced = FORCED_OUTCOMES.get(username, {}).get(age)
    if forced is not None:
        return forced
    if age == 0:
        return Outcome.DRAFT
    draw = rng.random()
    if age == 1:
        table = ((0.6, Outcome.SUBMITTED), (0.8, Outcome.APPROVED), (0.92, Outcome.DRAFT))
        return next((o for limit, o in table if draw < limit), Outcome.RETURNED)
    table = (
        (0.70, Outcome.APPROVED),
        (0.79, Outcome.RETURNED_APPROVED),
        (0.84, Outcome.RETURNED),
        (0.87, Outcome.RETURNED_RESUBMITTED),
        (0.92, Outcome.SUBMITTED),
        (0.95, Outcome.DRAFT),
    )
    return next((o for limit, o in table if draw < limit), Outcome.CORRECTED)


def _morning(rng: random.Random, ctx: Context, office: str, after: datetime.datetime):
    """A leader's review moment: the next working morning after `after` (local time)."""
    day = ctx.working.after(after.astimezone(OFFICE_ZONES[office]).date())
    return _at(office, day, rng.randint(7 * 60 + 30, 11 * 60))


def plan_day(rng: random.Random, ctx: Context, run: Run, age: int) -> list[Step]:
    """The timed steps of one officer-day, cut off at the present."""
    office, day, officer = run.office, run.day, run.officer
    username = officer.username
    steps: list[Step] = []
    minute = 7 * 60 + 30 + rng.randint(0, 60)
    for index in range(rng.choice((1, 1, 2, 2, 2, 3))):
        started_at = _at(office, day, minute)
        ended_at = started_at + datetime.timedelta(minutes=rng.randint(45, 180))
        planned = _plan_activity(rng, ctx, run, started_at, ended_at)
        minute = int((ended_at - _at(office, day, 0)).total_seconds() // 60)
        minute += rng.randint(20, 75)
        if ended_at <= ctx.now:
            steps.append((ended_at, _activity_step(ctx, run, index, planned)))
        elif started_at + datetime.timedelta(minutes=10) <= ctx.now:
            # Still going on: filed from the field, its end not known yet.
            planned.fields["ended_at"] = None
            moment = started_at + datetime.timedelta(minutes=10)
            steps.append((moment, _activity_step(ctx, run, index, planned)))
    outcome = _outcome(rng, username, age)
    if outcome == Outcome.DRAFT or not steps:
        return steps
    earliest = steps[-1][0] + datetime.timedelta(minutes=15)
    if rng.random() < 0.1:
        submitted = _at(office, day, DEADLINES[office] * 60 + rng.randint(10, 200))
    else:
        submitted = steps[-1][0] + datetime.timedelta(minutes=rng.randint(15, 90))
    submitted = max(submitted, earliest)
    steps.append((submitted, partial(_submit, run, 1, submitted)))
    leader = ctx.leaders[rng.choice(DECIDERS[office])]
    if outcome in (Outcome.APPROVED, Outcome.CORRECTED):
        approved = _morning(rng, ctx, office, submitted)
        steps.append((approved, partial(_approve, run, leader)))
        if outcome == Outcome.CORRECTED:
            revised = approved + datetime.timedelta(days=rng.randint(1, 3), hours=2)
            steps.append((revised, partial(_revise, run, rng.choice(CORRECTION_REASONS))))
            resubmitted = revised + datetime.timedelta(minutes=rng.randint(10, 40))
            steps.append((resubmitted, partial(_submit, run, 2, resubmitted)))
            reapproved = _morning(rng, ctx, office, resubmitted)
            steps.append((reapproved, partial(_approve, run, leader)))
    elif outcome != Outcome.SUBMITTED:
        returned = _morning(rng, ctx, office, submitted)
        steps.append((returned, partial(_return, run, leader, rng.choice(RETURN_REASONS))))
        if outcome != Outcome.RETURNED:
            fixed = returned + datetime.timedelta(minutes=rng.randint(60, 240))
            steps.append((fixed, partial(_fix, run)))
            resubmitted = fixed + datetime.timedelta(minutes=rng.randint(5, 20))
            steps.append((resubmitted, partial(_submit, run, 2, resubmitted)))
            if outcome == Outcome.RETURNED_APPROVED:
                reapproved = _morning(rng, ctx, office, resubmitted)
                steps.append((reapproved, partial(_approve, run, leader)))
    past = []
    for moment, step in steps:
        if moment > ctx.now:
            break
        past.append((moment, step))
    return past


def _activity_step(ctx: Context, run: Run, index: int, planned: PlannedActivity):
    def step() -> None:
        officer, day = run.officer, run.day
        activity = services.activity_create(
            by=officer, client_id=key(officer.username, day, index), **planned.fields
        )
        run.report = activity.report
        run.activities.append(activity)
        for number, check in enumerate(planned.checks):
            permit = check.person.permit if check.show_permit else None
            record = services.check_create(
                by=officer,
                client_id=key(officer.username, day, index, "check", number),
                activity=activity,
                person=check.person.person,
                permit=permit,
                verification_method=check.verification_method,
                activity_observed=check.activity_observed,
                matches_permit=check.matches_permit,
                result=check.result,
            )
            if check.finding is not None:
                services.finding_create(
                    by=officer,
                    client_id=key(officer.username, day, index, "finding", number),
                    activity=activity,
                    violation_type=ctx.violations[check.finding.code],
                    check=record,
                    description=check.finding.description,
                    overstay_days=check.finding.overstay_days,
                )

    return step


def _submit(run: Run, number: int, at: datetime.datetime) -> None:
    run.report = services.report_submit(
        report=run.report,
        by=run.officer,
        client_id=key(run.officer.username, run.day, "submit", number),
        now=at,
    )


def _approve(run: Run, leader: User) -> None:
    run.report = services.report_approve(report=run.report, by=leader)


def _return(run: Run, leader: User, reason: str) -> None:
    run.report = services.report_return(report=run.report, by=leader, reason=reason)


def _fix(run: Run) -> None:
    """Answer a return: a warrant that was to follow arrives, or the conclusion is completed."""
    pending = [a for a in run.activities if a.warrant_to_follow]
    if pending:
        activity = pending[0]
        prefix = WARRANT_PREFIXES[run.office]
        services.activity_update(
            by=run.officer,
            activity=activity,
            warrant_to_follow=False,
            warrant_number=f"{prefix}-{5000 + activity.pk % 4000}",
            warrant_date=run.day,
        )
    else:
        activity = run.activities[0]
        services.activity_update(
            by=run.officer,
            activity=activity,
            conclusion=f"{activity.conclusion} Dilengkapi sesuai arahan pimpinan.".strip(),
        )


def _revise(run: Run, reason: str) -> None:
    run.report = services.report_revise(report=run.report, by=run.officer, reason=reason)
    activity = run.activities[-1]
    services.activity_update(
        by=run.officer,
        activity=activity,
        recommendation=f"{activity.recommendation} (koreksi: {reason})".strip(),
    )


def _context(registry: DemoRegistry, leaders: dict[str, User], now) -> Context:
    by_regency: dict[str, list[DemoPerson]] = {}
    expired: dict[str, list[DemoPerson]] = {}
    for office, persons in registry.persons.items():
        for person in persons:
            by_regency.setdefault(person.spec.regency_code, []).append(person)
            permit = person.permit
            if permit is not None and permit.valid_until and permit.valid_until < now.date():
                expired.setdefault(office, []).append(person)
        expired.setdefault(office, [])
    return Context(
        now=now,
        places=registry.places,
        persons=registry.persons,
        by_regency=by_regency,
        expired=expired,
        leaders=leaders,
        violations=violation_types(),
        working=WorkingDays([now.year - 1, now.year, now.year + 1]),
    )


def seed_reports(
    *,
    registry: DemoRegistry,
    officers: dict[str, list[User]],
    leaders: dict[str, User],
    now: datetime.datetime,
) -> int:
    """Plan and take the steps of every officer-day not yet reported; return how many."""
    ctx = _context(registry, leaders, now)
    everyone = [officer for office in officers.values() for officer in office]
    existing = set(
        DailyReport.objects.filter(officer__in=everyone).values_list("officer_id", "report_date")
    )
    steps: list[tuple[datetime.datetime, int, Callable[[], None]]] = []
    planned_days = 0
    for office, office_officers in officers.items():
        today = now.astimezone(OFFICE_ZONES[office]).date()
        earlier = [today - datetime.timedelta(days=n) for n in range(1, WINDOW_DAYS)]
        # Age counts working days back from today; today itself is age 0 even on a weekend,
        # when only an officer with forced outcomes (on weekend duty) reports.
        days = [today] + [day for day in earlier if day in ctx.working]
        for officer in office_officers:
            weekend_duty = officer.username in FORCED_OUTCOMES
            for age, day in enumerate(days):
                if age == 0 and today not in ctx.working and not weekend_duty:
                    continue
                if (officer.pk, day) in existing:
                    continue
                rng = random.Random(f"silahap-demo:{officer.username}:{day.isoformat()}")
                run = Run(officer=officer, office=office, day=day)
                for moment, step in plan_day(rng, ctx, run, age):
                    steps.append((moment, len(steps), step))
                planned_days += 1
    steps.sort(key=lambda item: (item[0], item[1]))
    for moment, _order, step in steps:
        with time_machine.travel(moment, tick=False):
            step()
    return planned_days
