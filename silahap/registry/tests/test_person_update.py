"""Correcting a person's record, and adding documents and permits beside it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silahap.audit.models import AuditEvent
from silahap.registry.models import ForeignNational
from silahap.registry.search import search_persons
from silahap.registry.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(people):
    return person_create(
        by=people.officer_a,
        full_name="Jon Smith",
        nationality="AU",
        document_number="PA1234567",
        birth_date=None,
    ).person


def identity(**fields):
    data = {
        "full_name": "John Smith",
        "sex": "M",
        "birth_date": "1980-02-29",
        "birth_place": "Perth",
        "nationality": "AU",
        "occupation": "Engineer",
        "address": "Jl. Sudirman 1",
        "sponsor": "",
    }
    data.update(fields)
    return data


def edit_url(person) -> str:
    return reverse("registry:person_update", args=[person.pk])


def test_opening_the_correction_page_is_a_view_for_data_correction(client, people, person):
    client.force_login(people.officer_b)
    response = client.get(edit_url(person))
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="person.view").latest("sequence")
    assert (event.purpose, event.object_id) == ("data_correction", str(person.pk))


def test_a_correction_is_saved_renormalised_and_audited_with_field_names(client, people, person):
    client.force_login(people.officer_a)
    response = client.post(edit_url(person), identity())
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.normalized_name) == ("John Smith", "john smith")
    event = AuditEvent.objects.filter(action="person.update").get()
    assert event.summary == {
        "fields": ["address", "birth_date", "birth_place", "full_name", "occupation", "sex"]
    }
    assert search_persons(ForeignNational.objects.all(), "jonh smith")[0] == person


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"full_name": ""}, "full_name"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "1850-01-01"}, "birth_date"),
        ({"nationality": "QQ"}, "nationality"),
    ],
)
def test_a_correction_is_validated_beside_its_field(client, people, person, fields, field):
    client.force_login(people.officer_a)
    response = client.post(edit_url(person), identity(**fields))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    person.refresh_from_db()
    assert person.full_name == "Jon Smith"
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_nothing_changed_writes_nothing(client, people, person):
    client.force_login(people.officer_a)
    client.post(edit_url(person), identity())
    client.post(edit_url(person), identity())
    assert AuditEvent.objects.filter(action="person.update").count() == 1


def test_partners_cannot_open_or_correct(client, people, person):
    client.force_login(people.partner)
    assert client.get(edit_url(person)).status_code == 404
    assert client.post(edit_url(person), identity()).status_code == 404


def test_a_merged_record_cannot_be_corrected(client, people, person):
    survivor = person_create(by=people.officer_a, full_name="John Smith", nationality="AU").person
    ForeignNational.objects.filter(pk=person.pk).update(merged_into=survivor)
    client.force_login(people.officer_a)
    assert client.get(edit_url(person)).status_code == 404


def add_document(client, person, **fields):
    data = {"document-kind": "passport", "document-issuing_country": "AU"}
    data.update({f"document-{key}": value for key, value in fields.items()})
    return client.post(reverse("registry:document_add", args=[person.pk]), data)


def test_a_renewed_passport_is_added(client, people, person):
    client.force_login(people.officer_a)
    response = add_document(client, person, number="pb 765 4321", expiry_date="2034-01-01")
    assert response.status_code == 302
    assert sorted(d.number for d in person.documents.all()) == ["PA1234567", "PB7654321"]
    assert AuditEvent.objects.filter(action="document.add").count() == 1


@pytest.mark.parametrize("number", ["PB76543210", "PB-7654!21", ""])
def test_a_document_number_outside_icao_9303_is_refused(client, people, person, number):
    client.force_login(people.officer_a)
    response = add_document(client, person, number=number)
    assert response.status_code == 422
    assert "number" in response.context["document_form"].errors


def test_a_document_of_another_person_is_refused_with_a_reason(client, people, person):
    person_create(
        by=people.officer_a, full_name="Mary Jones", nationality="AU", document_number="PC1111111"
    )
    client.force_login(people.officer_a)
    response = add_document(client, person, number="PC1111111")
    assert response.status_code == 422
    assert "number" in response.context["document_form"].errors


def add_permit(client, person, **fields):
    data = {f"permit-{key}": value for key, value in fields.items()}
    return client.post(reverse("registry:permit_add", args=[person.pk]), data)


def test_a_permit_is_added(client, people, person):
    client.force_login(people.officer_a)
    response = add_permit(
        client, person, permit_type="ITAS", issued_on="2025-01-01", valid_until="2025-12-31"
    )
    assert response.status_code == 302
    assert person.permits.get().valid_until.isoformat() == "2025-12-31"
    assert AuditEvent.objects.filter(action="permit.add").count() == 1


def test_a_permit_valid_until_before_its_issue_is_refused(client, people, person):
    client.force_login(people.officer_a)
    response = add_permit(
        client, person, permit_type="ITAS", issued_on="2025-06-01", valid_until="2025-01-01"
    )
    assert response.status_code == 422
    assert "valid_until" in response.context["permit_form"].errors
    assert not person.permits.exists()
