"""Builders for the report tests: everything is made through the services, like real data."""

from __future__ import annotations

import contextlib
import datetime
import io
import uuid
import zoneinfo
from collections.abc import Iterator

import pillow_heif
from PIL import Image

from silahap.accounts import services as accounts
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.audit.models import AuditEvent
from silahap.registry import services as registry
from silahap.registry.models import ForeignNational, Place, Regency
from silahap.reports import services
from silahap.reports.models import Activity, DailyReport, ViolationType
from silahap.testing.personas import PASSWORD, SINCE

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
WITA = zoneinfo.ZoneInfo("Asia/Makassar")
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")

# A Tuesday with no holiday, well after the personas' memberships start.
DAY = datetime.date(2025, 3, 11)


def at(hour: int, minute: int = 0, *, day: datetime.date = DAY, zone=WIB) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


@contextlib.contextmanager
def audit_records(*actions: str) -> Iterator[None]:
    """Assert the block appends exactly these audit events, in this order (none when empty)."""
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    yield
    added = list(
        AuditEvent.objects.filter(sequence__gt=last or 0)
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert added == list(actions), f"audit events added: {added}, expected {list(actions)}"


def place(*, by: User, name: str = "Hotel Santika BSD") -> Place:
    return registry.place_create(
        by=by, name=name, kind="hotel", regency=Regency.objects.get(code="36.71")
    )


def person(*, by: User, name: str = "John Smith", document: str = "P1234567") -> ForeignNational:
    return registry.person_create(
        by=by,
        full_name=name,
        nationality="AU",
        document_number=document,
        permit_type="ITAS",
        permit_number=f"ITAS-{document}",
    ).person


def violation_type(code: str = "test_overstay") -> ViolationType:
    return ViolationType.objects.create(code=code, name="Overstay (test)", article="Pasal 78")


def field_activity(
    *,
    by: User,
    started_at: datetime.datetime,
    place: Place | None,
    client_id: uuid.UUID | None = None,
    **extra,
) -> Activity:
    """A field activity under a warrant dated the day it started."""
    values = {
        "kind": Activity.Kind.FIELD,
        "source": Activity.Source.INDEPENDENT,
        "warrant_number": "W-123/INTEL/2025",
        "warrant_date": started_at.date(),
        "ended_at": started_at + datetime.timedelta(hours=1),
        "description": "Checked the guest register.",
    }
    values.update(extra)
    return services.activity_create(
        by=by, client_id=client_id or uuid.uuid4(), started_at=started_at, place=place, **values
    )


def admin_activity(*, by: User, started_at: datetime.datetime, **extra) -> Activity:
    return services.activity_create(
        by=by,
        client_id=uuid.uuid4(),
        kind=Activity.Kind.ADMINISTRATIVE,
        source=Activity.Source.APOA,
        started_at=started_at,
        description="Reviewed the lodging reports.",
        **extra,
    )


def submitted_report(*, by: User, started_at: datetime.datetime, at_place: Place) -> DailyReport:
    activity = field_activity(by=by, started_at=started_at, place=at_place)
    return services.report_submit(report=activity.report, by=by)


def approved_report(
    *, by: User, leader: User, started_at: datetime.datetime, at_place: Place
) -> DailyReport:
    report = submitted_report(by=by, started_at=started_at, at_place=at_place)
    return services.report_approve(report=report, by=leader)


def officer_in_new_office(
    *, code: str, timezone_name: str, parent: OrgUnit, deadline=datetime.time(20, 0)
) -> User:
    """An officer of a fresh immigration office in another zone (e.g. WIT, Asia/Jayapura)."""
    office = accounts.orgunit_create(
        by=None,
        kind=OrgUnit.Kind.IMMIGRATION_OFFICE,
        code=code,
        name=f"Kanim {code}",
        parent=parent,
        office_class="I",
        timezone_name=timezone_name,
        report_deadline=deadline,
    )
    officer = accounts.user_create(
        by=None, username=f"officer_{code.lower()}", full_name=f"Officer {code}", password=PASSWORD
    )
    accounts.membership_create(
        by=None, user=officer, unit=office, role=Membership.Role.OFFICER, start_date=SINCE
    )
    return officer


def acting_leader(
    *,
    user: User,
    unit: OrgUnit,
    start_date: datetime.date,
    end_date: datetime.date | None,
) -> Membership:
    """Appoint a Plh/Plt: a leader membership marked acting, for a period."""
    return accounts.membership_create(
        by=None,
        user=user,
        unit=unit,
        role=Membership.Role.LEADER,
        start_date=start_date,
        end_date=end_date,
        is_acting=True,
    )


def photo_bytes(
    fmt="JPEG",
    size=(640, 480),
    taken="2026:11:27 10:30:00",
    point=(6.1783, 106.6319),
    orientation=None,
):
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif.get_ifd(0x8769)[36867] = taken
    if point:
        gps = exif.get_ifd(0x8825)
        lat, lon = point
        gps[1], gps[3] = "S", "E"
        gps[2] = (float(int(lat)), float(int(lat * 60 % 60)), round(lat * 3600 % 60, 2))
        gps[4] = (float(int(lon)), float(int(lon * 60 % 60)), round(lon * 3600 % 60, 2))
    buffer = io.BytesIO()
    if fmt == "HEIF":
        pillow_heif.register_heif_opener()
    image.save(buffer, format=fmt, exif=exif.tobytes())
    return buffer.getvalue()


def photo_files(evidence) -> set[str]:
    """The stored names of a photo's original and its two copies, those it has."""
    return {f.name for f in (evidence.original, evidence.display, evidence.thumbnail) if f}
