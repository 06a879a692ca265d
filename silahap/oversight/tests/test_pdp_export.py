"""An office administrator answers a data subject's request with everything held and done
about the person: their record, the checks and findings naming them, and every processing."""

from __future__ import annotations

import csv
import datetime
import io
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from silahap.audit import services as audit
from silahap.audit.models import AuditEvent
from silahap.registry import services as registry
from silahap.reports import services as reports
from silahap.testing.url_matrix import field_activity, registry_person

REQUEST = {"reference": "PDP/7/2026", "reason": "Access to my data", "file_format": "csv"}


def url(person) -> str:
    return reverse("audit:person_data_export", args=[person.pk])


def export_rows(response) -> list[dict]:
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def checked(people, person):
    return reports.check_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=field_activity(people),
        person=person,
        verification_method="physical_document",
        result="compliant",
        activity_observed="=HYPERLINK(working)",
    )


@pytest.mark.django_db
def test_the_export_lists_who_processed_the_record_when_what_and_why(client, people):
    person = registry_person(people)
    document = registry.document_add(
        by=people.officer_a, person=person, number="X1234567", issuing_country="SE"
    )
    check = checked(people, person)
    audit.record(action="person.view", actor=people.leader_a, target=person, purpose="follow_up")
    other = registry.person_create(by=people.officer_a, full_name="Someone Else", nationality="NL")
    audit.record(action="person.view", actor=people.leader_a, target=other.person)
    client.force_login(people.office_admin)
    response = client.post(url(person), REQUEST)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert 'filename="pdp-' in response["Content-Disposition"]
    rows = export_rows(response)
    processing = [row for row in rows if row["section"] == "processing"]
    actions = [row["what"] for row in processing]
    assert actions[:3] == ["person.create", "document.add", "check.create"]
    assert processing[1]["target"] == f"registry.traveldocument:{document.pk}"
    assert processing[0]["who"] == str(people.officer_a)
    view = next(row for row in processing if row["what"] == "person.view")
    assert view["who"] == str(people.leader_a)
    assert view["why"] == "follow_up"
    assert processing[-1]["what"] == "pdp.export"  # the export lists itself
    assert [row["target"] for row in rows if row["section"] == "check"] == [
        f"reports.check:{check.pk}"
    ]
    assert all(row["target"] != f"registry.foreignnational:{other.person.pk}" for row in rows)


@pytest.mark.django_db
def test_the_export_is_recorded_with_the_requests_reference_and_reason(client, people):
    person = registry_person(people)
    client.force_login(people.office_admin)
    client.post(url(person), REQUEST)
    event = AuditEvent.objects.get(action="pdp.export")
    assert event.actor == people.office_admin
    assert event.object_id == str(person.pk)
    assert event.purpose == "data_subject_request"
    assert event.summary == {
        "reference": "PDP/7/2026",
        "reason": "Access to my data",
        "format": "csv",
    }


@pytest.mark.django_db
def test_cells_a_spreadsheet_would_run_as_formulas_are_defused(client, people):
    person = registry_person(people)
    checked(people, person)
    client.force_login(people.office_admin)
    rows = export_rows(client.post(url(person), REQUEST))
    check = next(row for row in rows if row["section"] == "check")
    assert '"activity_observed": "=HYPERLINK' in check["details"]
    assert not any(value.startswith("=") for row in rows for value in row.values())


@pytest.mark.django_db
def test_json_is_offered_too(client, people):
    person = registry_person(people)
    client.force_login(people.office_admin)
    response = client.post(url(person), {**REQUEST, "file_format": "json"})
    document = json.loads(response.content)
    assert document["request"]["reference"] == "PDP/7/2026"
    assert document["rows"][0]["details"]["full_name"] == "Anna Maria Eriksson"


@pytest.mark.django_db
def test_a_request_without_reference_or_reason_comes_back_and_exports_nothing(client, people):
    client.cookies["silahap_language"] = "en"
    person = registry_person(people)
    client.force_login(people.office_admin)
    response = client.post(url(person), {"reference": " ", "reason": "", "file_format": "csv"})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not AuditEvent.objects.filter(action="pdp.export").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [("leader_a", 403), ("officer_a", 403)])
def test_only_administrators_export(client, people, persona, status):
    client.force_login(getattr(people, persona))
    assert client.post(url(registry_person(people)), REQUEST).status_code == status
    assert not AuditEvent.objects.filter(action="pdp.export").exists()


@pytest.mark.django_db
def test_a_partner_member_does_not_find_the_person(client, people):
    client.force_login(people.partner)
    assert client.get(url(registry_person(people))).status_code == 404


@pytest.mark.django_db
def test_the_export_costs_the_same_queries_however_long_the_history(client, people):
    person = registry_person(people)
    client.force_login(people.office_admin)
    client.post(url(person), REQUEST)
    with CaptureQueriesContext(connection) as short:
        client.post(url(person), REQUEST)
    checked(people, person)
    for _ in range(30):
        audit.record(action="person.view", actor=people.leader_a, target=person)
    with CaptureQueriesContext(connection) as long:
        response = client.post(url(person), REQUEST)
    assert len(export_rows(response)) > 30
    assert len(long) == len(short) <= 20


@pytest.mark.django_db
def test_a_check_in_a_closed_intelligence_activity_is_withheld(client, people):
    person = registry_person(people)
    closed = reports.activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="intelligence",
        classification="closed",
        started_at=timezone.now() - datetime.timedelta(minutes=10),
        place=field_activity(people).place,
    )
    secret = reports.check_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=closed,
        person=person,
        verification_method="statement",
        result="compliant",
        activity_observed="Meeting at the harbour",
    )
    client.force_login(people.office_admin)
    response = client.post(url(person), REQUEST)
    text = response.content.decode()
    rows = export_rows(response)
    assert [row["section"] for row in rows].count("withheld") == 1
    assert "harbour" not in text
    assert f"reports.check:{secret.pk}" not in text
    assert "check.create" not in [row["what"] for row in rows]
