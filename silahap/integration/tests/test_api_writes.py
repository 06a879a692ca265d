"""Registry writes through the API: the web forms' validation, the registry's services, one row
per Idempotency-Key, all or nothing."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from silahap.audit.models import AuditEvent
from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.integration.tests.conftest import bearer
from silahap.registry.models import ForeignNational, StayPermit

pytestmark = pytest.mark.django_db
PERSONS = "integration:person-list"
ANNA = {
    "full_name": "Anna Maria Eriksson",
    "nationality": "SE",
    "birth_date": "1974-08-12",
    "document_number": "L898902C3",
    "permit_type": "ITAS",
    "permit_valid_until": "2027-01-31",
    "permit_issued_on": "2026-02-01",
}


def post(client, url, body, token, **headers):
    return client.post(
        url,
        json.dumps(body) if not isinstance(body, str | bytes) else body,
        content_type="application/json",
        **bearer(token),
        **headers,
    )


@pytest.fixture
def writer(make_client):
    return make_client(access="read_write")


def test_a_read_write_client_registers_a_person_with_document_and_permit(client, writer):
    api_client, token = writer
    response = post(client, reverse(PERSONS), ANNA, token)
    assert response.status_code == 201, response.content
    body = response.json()
    person = ForeignNational.objects.get(pk=body["id"])
    assert person.created_by == api_client.account
    assert [d["number"] for d in body["documents"]] == ["L898902C3"]
    assert body["permits"][0]["permit_type"] == "ITAS"


def test_the_same_idempotency_key_creates_once_and_answers_the_same(client, writer, make_client):
    _api_client, token = writer
    first = post(client, reverse(PERSONS), ANNA, token, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, reverse(PERSONS), ANNA, token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    # The same key with another body is a mistake of the client's: refused, nothing written.
    other = post(
        client, reverse(PERSONS), {**ANNA, "full_name": "Other"}, token, HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert ForeignNational.objects.count() == 1
    # Another client's identical key makes its own write (here: the document is known, 200).
    _other, other_token = make_client(access="read_write")
    theirs = post(client, reverse(PERSONS), ANNA, other_token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert theirs.status_code == 200
    assert ForeignNational.objects.count() == 1


def test_invalid_values_are_a_400_naming_each_field_and_nothing_is_saved(client, writer):
    _api_client, token = writer
    bad = {**ANNA, "permit_issued_on": "2027-02-01", "birth_date": "2999-01-01"}
    response = post(client, reverse(PERSONS), bad, token)
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"birth_date"} <= fields
    assert not ForeignNational.objects.exists()
    assert not StayPermit.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**ANNA, "passport_colour": "red"}, "passport_colour"),
        ({**ANNA, "birth_date": 12}, "birth_date"),
        ({**ANNA, "sponsor": "abc"}, "sponsor"),
        ("{not json", None),
        ("[1, 2]", None),
    ],
)
def test_malformed_bodies_are_400_problems(client, writer, body, field):
    _api_client, token = writer
    response = post(client, reverse(PERSONS), body, token)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    if field:
        assert field in [error["field"] for error in response.json()["errors"]]
    assert not ForeignNational.objects.exists()


def test_an_oversized_body_is_refused_with_413(client, writer):
    _api_client, token = writer
    response = post(client, reverse(PERSONS), {**ANNA, "address": "x" * 70_000}, token)
    assert response.status_code == 413
    assert response.json()["title_id"] == "Isi permintaan terlalu besar"


def test_a_correction_and_a_permit_go_through_the_registry_services(client, writer):
    _api_client, token = writer
    person_id = post(client, reverse(PERSONS), ANNA, token).json()["id"]
    url = reverse("integration:person-detail", args=[person_id])
    response = client.patch(
        url,
        json.dumps({"occupation": "Engineer"}),
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 200, response.content
    assert response.json()["occupation"] == "Engineer"
    permit = post(
        client,
        reverse("integration:person-permits", args=[person_id]),
        {"permit_type": "ITAP", "issued_on": "2026-01-01", "valid_until": "2030-01-01"},
        token,
        HTTP_IDEMPOTENCY_KEY="permit-1",
    )
    assert permit.status_code == 201
    assert StayPermit.objects.filter(person_id=person_id).count() == 2


def test_a_write_appears_in_the_event_feed(client, writer):
    _api_client, token = writer
    person_id = post(client, reverse(PERSONS), ANNA, token).json()["id"]
    spine.sequence()
    feed = client.get(reverse("integration:events"), **bearer(token)).json()
    created = [item for item in feed["results"] if item["type"] == "person.created"]
    assert created[0]["url"] == f"/api/v1/persons/{person_id}/"


def test_a_permit_is_corrected_through_the_form_rules_once_per_key(client, writer):
    _api_client, token = writer
    person = post(client, reverse(PERSONS), ANNA, token).json()
    permit_id = person["permits"][0]["id"]
    url = reverse("integration:permit-detail", args=[permit_id])

    def patch(body, key):
        return client.patch(
            url, json.dumps(body), content_type="application/json", **bearer(token),
            HTTP_IDEMPOTENCY_KEY=key,
        )  # fmt: skip

    response = patch({"valid_until": "2028-01-31", "number": "2C11AB0001"}, "p-1")
    assert response.status_code == 200, response.content
    assert response.json()["valid_until"] == "2028-01-31"
    assert patch({"valid_until": "2028-01-31", "number": "2C11AB0001"}, "p-1").json() == (
        response.json()
    )
    assert patch({"valid_until": "2029-01-31"}, "p-1").status_code == 422
    permit = StayPermit.objects.get(pk=permit_id)
    assert (str(permit.valid_until), permit.number) == ("2028-01-31", "2C11AB0001")
    assert AuditEvent.objects.filter(action="permit.update").count() == 1
    event = BusinessEvent.objects.get(type="permit.updated")
    assert event.object_id == str(permit_id)
    # The web form's rule: valid until before issued is refused, naming the field; nothing saved.
    bad = patch({"valid_until": "2025-01-01"}, "p-2")
    assert bad.status_code == 400
    assert "valid_until" in {error["field"] for error in bad.json()["errors"]}
    assert str(StayPermit.objects.get(pk=permit_id).valid_until) == "2028-01-31"


def test_the_console_address_leads_to_the_clients_list(client, people):
    client.force_login(people.office_admin)
    response = client.get("/api/v1/console/")
    assert response.status_code == 302
    assert response["Location"] == reverse("integration:client_list")
