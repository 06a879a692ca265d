"""import_confirm: a checked file is written to the registry in chunks; importing it again
changes nothing; the uploader is told when it is done."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from silahap.audit.models import AuditEvent
from silahap.events.models import BusinessEvent
from silahap.registry import services
from silahap.registry.imports import engine
from silahap.registry.models import ForeignNational, Place, Regency, StayPermit, TravelDocument
from silahap.registry.models_imports import LodgingStay
from silahap.registry.services import person_create, place_create
from silahap.registry.tests.import_helpers import (
    LODGING_HEADER,
    PERSON_HEADER,
    confirm,
    csv_bytes,
    registry_counts,
    upload,
)

pytestmark = pytest.mark.django_db

PERSONS = [
    ["Anna Maria Eriksson", "SE", "L898902C3", "", "F", "12/08/1974", "ITAS", "2C1", "2026-01-09"],
    ["Bruno Müller", "DEU", "C01X00T47", "D", "M", "1980-02-29", "", "", ""],
    ["Bad Date", "SE", "A1", "", "", "31/02/1990", "", "", ""],
]
STAYS = [
    ["Anna Maria Eriksson", "L898902C3", "SWE", "Hotel Bandara", "36.71", "2025-03-01", ""],
    ["Anna M Eriksson", "L898902C3", "SWE", "Hotel Bandara", "36.71", "2025-04-01", "2025-04-03"],
    ["Carl Weber", "P1234567", "Germany", "Villa Kenanga", "36.03", "2025-03-02", "2025-03-09"],
]  # fmt: skip


def imported(people, kind, rows, by=None):
    by = by or people.office_admin
    job = upload(
        by,
        people.office_a,
        kind,
        csv_bytes(PERSON_HEADER if kind == "persons" else LODGING_HEADER, rows),
    )
    return confirm(by, job)


def test_persons_documents_and_permits_are_created(people):
    job = imported(people, "persons", PERSONS)
    assert job.status == "applied"
    assert (job.created_count, job.updated_count, job.refused_count) == (2, 0, 1)
    anna = TravelDocument.objects.get(number="L898902C3", issuing_country="SE").person
    assert (anna.full_name, anna.sex, anna.birth_date) == (
        "Anna Maria Eriksson",
        "F",
        datetime.date(1974, 8, 12),
    )
    assert anna.created_by == people.office_admin
    assert StayPermit.objects.get(person=anna).valid_until == datetime.date(2026, 1, 9)
    assert TravelDocument.objects.get(number="C01X00T47").issuing_country == "DE"
    assert job.rows.get(line=2).person == anna


def test_importing_the_same_file_again_changes_nothing(people):
    imported(people, "persons", PERSONS)
    imported(people, "lodging", STAYS)
    before = registry_counts()
    stamps = dict(ForeignNational.objects.values_list("pk", "updated_at"))
    again = imported(people, "persons", PERSONS)
    lodging = imported(people, "lodging", STAYS)
    assert registry_counts() == before
    assert dict(ForeignNational.objects.values_list("pk", "updated_at")) == stamps
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert (lodging.created_count, lodging.updated_count, lodging.unchanged_count) == (0, 0, 3)


def test_a_registered_person_gains_only_what_the_registry_lacks(people):
    anna = person_create(
        by=people.officer_a, full_name="Anna Eriksson", nationality="SE",
        document_number="L898902C3", birth_place="Uppsala",
    ).person  # fmt: skip
    rows = [
        [
            "Anna Maria Eriksson",
            "SE",
            "L898902C3",
            "",
            "F",
            "12/08/1974",
            "ITAS",
            "2C1",
            "2026-01-09",
        ]
    ]
    job = imported(people, "persons", rows)
    anna.refresh_from_db()
    assert job.updated_count == 1
    assert anna.full_name == "Anna Eriksson"  # an officer's record is never overwritten
    assert anna.birth_place == "Uppsala"
    assert (anna.sex, anna.birth_date) == ("F", datetime.date(1974, 8, 12))
    assert anna.permits.count() == 1
    assert ForeignNational.objects.count() == 1


def test_a_merged_persons_document_leads_to_the_record_it_was_merged_into(people):
    old = person_create(
        by=people.officer_a,
        full_name="Anna Eriksson",
        nationality="SE",
        document_number="L898902C3",
    ).person
    kept = person_create(by=people.officer_a, full_name="Anna M Eriksson", nationality="SE").person
    ForeignNational.objects.filter(pk=old.pk).update(merged_into=kept)
    job = imported(people, "lodging", STAYS[:1])
    assert LodgingStay.objects.get().person == kept
    assert job.rows.get().person == kept


def test_lodging_reports_record_stays_places_and_new_guests(people):
    job = imported(people, "lodging", STAYS)
    assert job.status == "applied"
    assert job.created_count == 3
    hotel = Place.objects.get(name="Hotel Bandara")
    assert (hotel.kind, hotel.regency_id) == ("hotel", "36.71")
    anna = TravelDocument.objects.get(number="L898902C3").person
    assert list(anna.lodging_stays.order_by("check_in").values_list("check_in", "check_out")) == [
        (datetime.date(2025, 3, 1), None),
        (datetime.date(2025, 4, 1), datetime.date(2025, 4, 3)),
    ]
    assert LodgingStay.objects.filter(source_job=job).count() == 3
    assert Place.objects.count() == 2


def test_a_later_report_adds_the_check_out_date(people):
    imported(people, "lodging", STAYS[:1])
    later = [STAYS[0][:6] + ["2025-03-05"]]
    job = imported(people, "lodging", later)
    assert job.updated_count == 1
    assert LodgingStay.objects.get().check_out == datetime.date(2025, 3, 5)


def test_a_lodging_already_registered_is_matched_by_name_in_its_regency(people):

    hotel = place_create(
        by=people.officer_a,
        name="Hotel  BANDARA",
        kind="hotel",
        regency=Regency.objects.get(code="36.71"),
    )
    imported(people, "lodging", STAYS[:2])
    assert Place.objects.count() == 1
    assert set(LodgingStay.objects.values_list("place", flat=True)) == {hotel.pk}


def test_a_finished_import_is_told_to_the_event_spine(people):
    job = imported(people, "persons", PERSONS, by=people.leader_a)
    event = BusinessEvent.objects.get(type="import.finished")
    assert (event.object_id, event.actor_id) == (str(job.pk), people.leader_a.pk)
    assert (event.unit_path, event.payload) == (people.office_a.path, {"status": "applied"})


def test_confirming_twice_imports_once(people):
    job = upload(people.office_admin, people.office_a, "persons", csv_bytes(PERSON_HEADER, PERSONS))
    confirm(people.office_admin, job)
    with pytest.raises(ValidationError):
        services.import_confirm(by=people.leader_a, job=job)
    assert ForeignNational.objects.count() == 2


def test_a_refused_file_cannot_be_confirmed(people):
    job = upload(people.office_admin, people.office_a, "persons", b"\x00\x01garbage")
    with pytest.raises(ValidationError):
        services.import_confirm(by=people.office_admin, job=job)


def test_confirmation_and_the_import_are_audited(people):
    job = imported(people, "persons", PERSONS)
    events = AuditEvent.objects.filter(object_type="registry.importjob", object_id=str(job.pk))
    assert list(events.order_by("sequence").values_list("action", flat=True)) == [
        "import.upload", "import.dry_run", "import.confirm", "import.apply",
    ]  # fmt: skip
    summary = events.get(action="import.apply").summary
    assert (summary["created"], summary["refused"], summary["new_persons"]) == (2, 1, 2)


@pytest.mark.parametrize("kind", ["persons", "lodging"])
def test_queries_are_bounded_per_chunk_not_per_row(
    people, monkeypatch, django_assert_max_num_queries, kind
):
    monkeypatch.setattr(engine, "CHUNK_SIZE", 50)
    if kind == "persons":
        rows = [
            [f"Person {n}", "SE", f"A{n}", "", "F", "", "ITAS", f"N{n}", ""] for n in range(200)
        ]
    else:
        rows = [
            [f"Guest {n}", f"A{n}", "SE", f"Hotel {n % 7}", "36.71", "2025-03-01", ""]
            for n in range(200)
        ]
    header = PERSON_HEADER if kind == "persons" else LODGING_HEADER
    job = upload(people.office_admin, people.office_a, kind, csv_bytes(header, rows))
    services.import_confirm(by=people.office_admin, job=job)
    job.refresh_from_db()
    # Four chunks of 50 rows: a dozen queries each, where one per row would be hundreds.
    with django_assert_max_num_queries(4 * 14 + 10):
        engine.run(job, apply=True)
    assert ForeignNational.objects.count() == 200


def test_a_persons_stays_are_read_for_their_page_and_hidden_from_partners(
    people, django_assert_max_num_queries
):
    imported(people, "lodging", STAYS)
    anna = TravelDocument.objects.get(number="L898902C3").person
    with django_assert_max_num_queries(2):  # the reader's memberships, then the stays
        stays = list(LodgingStay.objects.visible_to(people.officer_b).for_timeline(anna))
        assert [stay.place.regency.code for stay in stays] == ["36.71", "36.71"]
    assert [stay.check_in.month for stay in stays] == [4, 3]
    assert not LodgingStay.objects.visible_to(people.partner).for_timeline(anna).exists()
