"""Each database constraint of the registry, broken on purpose with a direct ORM write.

Services validate before they write; these tests bypass them so that the database itself is
shown to refuse what it must, whatever code path writes next (imports, admin, a shell).
"""

from __future__ import annotations

import datetime
import importlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from silahap.accounts import services as accounts
from silahap.registry.models import (
    District,
    ForeignNational,
    PersonPairDecision,
    Place,
    PlacePairDecision,
    Province,
    Regency,
    Sponsor,
    StayPermit,
    TravelDocument,
    Village,
    VisaIndex,
    WarningCount,
    WarningDay,
    WarningMonth,
)
from silahap.registry.models_imports import ImportJob, ImportRow, LodgingStay

pytestmark = pytest.mark.django_db


@dataclass
class Rows:
    province: Province
    regency: Regency
    district: District
    person: ForeignNational
    place: Place


@pytest.fixture
def rows() -> Rows:
    province = Province.objects.create(code="99", name="Provinsi Uji")
    regency = Regency.objects.create(code="99.01", province=province, name="Kota Uji")
    district = District.objects.create(code="99.01.01", regency=regency, name="Kecamatan Uji")
    person = ForeignNational.objects.create(full_name="Anna Schmidt", nationality="DE")
    place = Place.objects.create(name="Hotel Uji", kind="hotel", regency=regency)
    return Rows(province, regency, district, person, place)


def _user(rows: Rows):

    return accounts.user_create(by=None, username="uji", full_name="Uji", password="x" * 16)


def _import_job(rows: Rows, **fields) -> ImportJob:

    root = accounts.orgunit_create(
        by=None, kind="directorate_general", code="DJI-UJI", name="Ditjen Uji"
    )
    office = accounts.orgunit_create(
        by=None, kind="immigration_office", code="KANIM-UJI", name="Kanim Uji", parent=root
    )
    values = {"office": office, "kind": "persons", "file_name": "a.csv", "uploaded_by": _user(rows)}
    return ImportJob.objects.create(**{**values, **fields})


def _import_row(rows: Rows, **fields) -> ImportRow:
    return ImportRow.objects.create(**{"line": 2, "outcome": "created", **fields})


def _stay(rows: Rows, **fields) -> LodgingStay:
    values = {"person": rows.person, "place": rows.place, "check_in": datetime.date(2025, 3, 1)}
    return LodgingStay.objects.create(**{**values, **fields})


def _second_person(rows: Rows) -> ForeignNational:
    return ForeignNational.objects.create(full_name="Anna Schmit", nationality="DE")


def _second_place(rows: Rows) -> Place:
    return Place.objects.create(name="Hotel Uji", kind="hotel", regency=rows.regency)


KEY = uuid.UUID("00000000-0000-4000-8000-000000000001")


def _place_with_the_same_key_twice(rows: Rows) -> None:
    user = _user(rows)
    for _ in range(2):
        Place.objects.create(
            name="Hotel Uji", kind="hotel", regency=rows.regency, created_by=user, client_id=KEY
        )


def _import_job_with_the_same_key_twice(rows: Rows) -> None:
    first = _import_job(rows, client_id=KEY)
    ImportJob.objects.create(
        office=first.office,
        kind="persons",
        file_name="b.csv",
        uploaded_by=first.uploaded_by,
        client_id=KEY,
    )


def _twice(write: Callable[[], object]) -> None:
    write()
    write()


def _person_pair_twice(rows: Rows) -> None:
    other, user = _second_person(rows), _user(rows)
    for _ in range(2):
        PersonPairDecision.objects.create(first=rows.person, second=other, decided_by=user)


def _place_pair_twice(rows: Rows) -> None:
    other, user = _second_place(rows), _user(rows)
    for _ in range(2):
        PlacePairDecision.objects.create(first=rows.place, second=other, decided_by=user)


def _import_row_twice(rows: Rows) -> None:
    job = _import_job(rows)
    for _ in range(2):
        _import_row(rows, job=job)


def _person_merged_into_self(rows: Rows) -> None:
    ForeignNational.objects.filter(pk=rows.person.pk).update(merged_into=rows.person)


def _place_merged_into_self(rows: Rows) -> None:
    Place.objects.filter(pk=rows.place.pk).update(merged_into=rows.place)


def _second_sponsor_with_the_same_identity(rows: Rows) -> None:
    Sponsor.objects.create(kind="corporation", name="PT Satu", identity_number="1234567890123")
    Sponsor.objects.create(kind="corporation", name="PT Dua", identity_number="1234567890123")


def _second_document_with_the_same_number_and_country(rows: Rows) -> None:
    other = ForeignNational.objects.create(full_name="Anna Schmidt-Meyer", nationality="DE")
    TravelDocument.objects.create(person=rows.person, number="C01X00T47", issuing_country="DE")
    TravelDocument.objects.create(person=other, number="C01X00T47", issuing_country="DE")


VIOLATIONS: dict[str, tuple[type[models.Model], Callable[[Rows], object]]] = {
    "province_code_format": (Province, lambda r: Province.objects.create(code="3A", name="X")),
    "regency_code_format": (
        Regency,
        lambda r: Regency.objects.create(code="9901", province=r.province, name="X"),
    ),
    "district_code_format": (
        District,
        lambda r: District.objects.create(code="99.01.1", regency=r.regency, name="X"),
    ),
    "village_code_format": (
        Village,
        lambda r: Village.objects.create(code="99.01.01.01", district=r.district, name="X"),
    ),
    "visa_index_permit_type": (
        VisaIndex,
        lambda r: VisaIndex.objects.create(code="Z9", permit_type="VISA", name="X"),
    ),
    "sponsor_kind_valid": (
        Sponsor,
        lambda r: Sponsor.objects.create(kind="government", name="Kementerian"),
    ),
    "sponsor_identity_unique": (Sponsor, _second_sponsor_with_the_same_identity),
    "place_kind_valid": (
        Place,
        lambda r: Place.objects.create(name="Gudang", kind="warehouse", regency=r.regency),
    ),
    "place_point_valid": (
        Place,
        lambda r: Place.objects.create(
            name="Titik", kind="other", regency=r.regency, latitude=Decimal("91"), longitude=0
        ),
    ),
    "place_not_merged_into_self": (Place, _place_merged_into_self),
    "place_once_per_key": (Place, _place_with_the_same_key_twice),
    "person_sex_valid": (
        ForeignNational,
        lambda r: ForeignNational.objects.create(full_name="Lee", nationality="KR", sex="Q"),
    ),
    "person_has_name": (
        ForeignNational,
        lambda r: ForeignNational.objects.create(full_name="", nationality="KR"),
    ),
    "person_not_merged_into_self": (ForeignNational, _person_merged_into_self),
    "travel_document_number_country_unique": (
        TravelDocument,
        _second_document_with_the_same_number_and_country,
    ),
    "travel_document_number_format": (
        TravelDocument,
        lambda r: TravelDocument.objects.create(
            person=r.person, number="c01 x00", issuing_country="DE"
        ),
    ),
    "stay_permit_type_valid": (
        StayPermit,
        lambda r: StayPermit.objects.create(person=r.person, permit_type="KITAS"),
    ),
    "stay_permit_valid_after_issue": (
        StayPermit,
        lambda r: StayPermit.objects.create(
            person=r.person,
            permit_type="ITAS",
            issued_on=datetime.date(2025, 3, 1),
            valid_until=datetime.date(2025, 2, 28),
        ),
    ),
    "person_pair_ordered": (
        PersonPairDecision,
        lambda r: PersonPairDecision.objects.create(
            first=_second_person(r), second=r.person, decided_by=_user(r)
        ),
    ),
    "person_pair_unique": (PersonPairDecision, lambda r: _person_pair_twice(r)),
    "place_pair_ordered": (
        PlacePairDecision,
        lambda r: PlacePairDecision.objects.create(
            first=_second_place(r), second=r.place, decided_by=_user(r)
        ),
    ),
    "place_pair_unique": (PlacePairDecision, lambda r: _place_pair_twice(r)),
    "import_job_kind_valid": (ImportJob, lambda r: _import_job(r, kind="hotels")),
    "import_job_status_valid": (ImportJob, lambda r: _import_job(r, status="lost")),
    "import_job_progress_within_total": (
        ImportJob,
        lambda r: _import_job(r, total_rows=3, processed_rows=4),
    ),
    "import_job_once_per_key": (ImportJob, _import_job_with_the_same_key_twice),
    "import_row_line_unique": (ImportRow, lambda r: _import_row_twice(r)),
    "import_row_outcome_valid": (
        ImportRow,
        lambda r: _import_row(r, job=_import_job(r), outcome="guessed"),
    ),
    "lodging_stay_unique": (LodgingStay, lambda r: _twice(lambda: _stay(r))),
    "warning_day_once": (
        WarningDay,
        lambda r: _twice(
            lambda: WarningDay.objects.create(
                office=7, regency="", day=datetime.date(2025, 3, 1), persons=1
            )
        ),
    ),
    "warning_month_once": (
        WarningMonth,
        lambda r: _twice(
            lambda: WarningMonth.objects.create(
                office=7, regency="", month=datetime.date(2025, 3, 1), persons=1
            )
        ),
    ),
    "warning_count_once": (
        WarningCount,
        lambda r: _twice(
            lambda: WarningCount.objects.create(
                office=0, regency="36.71", as_of=datetime.date(2025, 3, 1), expiring=0, overstay=0
            )
        ),
    ),
    "lodging_stay_out_after_in": (
        LodgingStay,
        lambda r: _stay(r, check_out=datetime.date(2025, 2, 28)),
    ),
}


def _names_the_constraint(error: IntegrityError, model: type[models.Model], name: str) -> bool:
    """Whether the error came from this constraint rather than another (NOT NULL, a foreign key)."""
    message = str(error)
    if name in message:
        return True
    constraint = next(c for c in model._meta.constraints if c.name == name)
    if isinstance(constraint, models.UniqueConstraint):
        # SQLite names the columns of a unique index, not the index.
        table = model._meta.db_table
        columns = [model._meta.get_field(field).column for field in constraint.fields]
        return ", ".join(f"{table}.{column}" for column in columns) in message
    return False


def test_every_registry_constraint_has_a_case():
    # The administrative areas the registry points at moved to their own app (silahap/areas).
    declared = {
        constraint.name
        for label in ("areas", "registry")
        for model in apps.get_app_config(label).get_models()
        for constraint in model._meta.constraints
    }
    assert declared == set(VIOLATIONS)


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_database_rejects_a_row_that_breaks(rows, name):
    model, write = VIOLATIONS[name]
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write(rows)
    assert _names_the_constraint(caught.value, model, name), str(caught.value)


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(Decimal("-90.5"), Decimal("0")), (Decimal("0"), Decimal("180.5"))]
)
def test_place_point_needs_both_coordinates_in_range(rows, latitude, longitude):
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(
            name="Titik", kind="other", regency=rows.regency, latitude=latitude, longitude=longitude
        )


def test_place_point_needs_both_coordinates_or_neither(rows):
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(
            name="Titik", kind="other", regency=rows.regency, latitude=Decimal("-6.2")
        )


def test_areas_with_well_formed_codes_are_accepted(rows):
    village = Village.objects.create(code="99.01.01.2001", district=rows.district, name="Desa Uji")
    assert village.district.regency.province == rows.province


def test_visa_index_of_every_permit_type_is_accepted():
    for permit_type in ("ITK", "ITAS", "ITAP", "DIPLOMATIC", "SERVICE", "AFFIDAVIT"):
        VisaIndex.objects.create(code=f"T-{permit_type[:6]}", permit_type=permit_type, name="Uji")


def test_sponsors_without_identity_number_and_across_kinds_are_accepted():
    Sponsor.objects.create(kind="individual", name="Budi")
    Sponsor.objects.create(kind="individual", name="Sari")
    Sponsor.objects.create(kind="individual", name="Budi", identity_number="3671012345678901")
    Sponsor.objects.create(kind="corporation", name="PT Budi", identity_number="3671012345678901")
    assert Sponsor.objects.count() == 4


def test_place_at_the_edges_of_the_globe_and_without_a_point_is_accepted(rows):
    Place.objects.create(
        name="Ujung", kind="other", regency=rows.regency, latitude=-90, longitude=180
    )
    Place.objects.create(name="Tanpa titik", kind="villa", regency=rows.regency)
    other = Place.objects.create(name="Hotel Uji (lama)", kind="hotel", regency=rows.regency)
    Place.objects.filter(pk=other.pk).update(merged_into=rows.place)


def test_person_merged_into_another_is_accepted(rows):
    duplicate = ForeignNational.objects.create(full_name="Ana Schmidt", nationality="DE", sex="F")
    ForeignNational.objects.filter(pk=duplicate.pk).update(merged_into=rows.person)


def test_same_document_number_from_another_country_is_accepted(rows):
    TravelDocument.objects.create(person=rows.person, number="C01X00T47", issuing_country="DE")
    TravelDocument.objects.create(person=rows.person, number="C01X00T47", issuing_country="AT")
    TravelDocument.objects.create(person=rows.person, number="X", issuing_country="XA")


def test_stay_permits_with_partial_or_one_day_validity_are_accepted(rows):
    day = datetime.date(2025, 3, 1)
    StayPermit.objects.create(person=rows.person, permit_type="ITK")
    StayPermit.objects.create(person=rows.person, permit_type="ITAS", valid_until=day)
    StayPermit.objects.create(person=rows.person, permit_type="ITAP", issued_on=day)
    StayPermit.objects.create(
        person=rows.person, permit_type="AFFIDAVIT", issued_on=day, valid_until=day
    )


def test_visa_indexes_are_seeded_once_however_often_the_seed_runs():
    # The migration's own function, run here because a transactional test elsewhere in the
    # session may have flushed what the migration wrote.
    migration = importlib.import_module("silahap.registry.migrations.0003_visa_indexes")
    migration.seed_visa_indexes(apps, schema_editor=None)
    before = list(VisaIndex.objects.order_by("code").values())
    migration.seed_visa_indexes(apps, schema_editor=None)
    assert list(VisaIndex.objects.order_by("code").values()) == before
    in_use = dict(VisaIndex.objects.filter(is_active=True).values_list("code", "permit_type"))
    assert in_use["C1"] == "ITK"
    assert in_use["E23"] == "ITAS"
    assert in_use["ITAP"] == "ITAP"
    assert not VisaIndex.objects.get(code="B211A").is_active
