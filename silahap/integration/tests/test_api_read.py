"""Reading resources as a scoped client: only what a user with that scope would see."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.integration.tests.conftest import bearer
from silahap.registry.services import permit_add, person_create
from silahap.reports.models import Check
from silahap.reports.services import activity_create, check_create, check_identity_confirm

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_office_client_reads_its_office_reports_and_not_another_office(
    client, people, make_client, field_work
):
    _client, token = make_client(people.office_a)
    response = client.get(reverse("integration:report-list"), **bearer(token))
    assert response.status_code == 200
    assert ids(response) == {field_work["a"][0].report_id}
    other = field_work["b"][0].report_id
    missing = client.get(reverse("integration:report-detail", args=[other]), **bearer(token))
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["title_id"] == "Tidak ditemukan"


def test_national_client_reads_every_office(client, people, make_client, field_work):
    _client, token = make_client(people.dg)
    response = client.get(reverse("integration:check-list"), **bearer(token))
    assert ids(response) == {field_work["a"][2].pk, field_work["b"][2].pk}


def test_reading_a_person_is_audited_naming_the_client(client, people, make_client, field_work):
    api_client, token = make_client(people.office_a)
    person = field_work["a"][1]
    response = client.get(reverse("integration:person-detail", args=[person.pk]), **bearer(token))
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="api.read").latest("sequence")
    assert event.actor_id == api_client.account_id
    assert event.summary["client"] == api_client.name
    assert event.summary["ids"] == [person.pk]


def test_detail_answers_304_to_its_own_etag(client, people, make_client, field_work):
    _client, token = make_client(people.office_a)
    url = reverse("integration:report-detail", args=[field_work["a"][0].report_id])
    first = client.get(url, **bearer(token))
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag, **bearer(token))
    assert again.status_code == 304


def test_a_client_without_the_resource_gets_403(client, people, make_client):
    _client, token = make_client(people.office_a, resources=("units",))
    response = client.get(reverse("integration:report-list"), **bearer(token))
    assert response.status_code == 403
    assert response.json()["status"] == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2999-01-01T00:00:00Z", "updated_since"),
        ("cursor=garbage", "cursor"),
        ("unit=abc", "unit"),
        ("date_from=31-12-2025", "date_from"),
        ("status=lost", "status"),
        ("page_size=100000", "page_size"),
    ],
)
def test_bad_filters_are_400_naming_the_field(client, people, make_client, query, field):
    _client, token = make_client(people.office_a)
    response = client.get(reverse("integration:report-list") + "?" + query, **bearer(token))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]


def test_a_closed_activity_keeps_its_details_from_a_client(client, people, make_client):
    closed = activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="intelligence",
        classification="closed",
        started_at=timezone.now() - datetime.timedelta(minutes=20),
        description="Informan di lokasi",
    )
    person = person_create(by=people.officer_a, full_name="Target Person", nationality="CN").person
    check = check_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=closed,
        person=person,
        verification_method="statement",
        result="compliant",
    )
    _client, token = make_client(people.office_a)
    detail = client.get(reverse("integration:activity-detail", args=[closed.pk]), **bearer(token))
    assert detail.json()["details_withheld"] is True
    assert detail.json()["description"] == ""
    checks = client.get(reverse("integration:check-list"), **bearer(token))
    assert check.pk not in ids(checks)
    # The office's head, a leader above the author, reads it through the site's session.
    client.force_login(people.head_a)
    assert client.get(reverse("integration:check-list")).json()["results"][0]["id"] == check.pk


def test_updated_since_finds_a_person_whose_permit_was_added(client, people, make_client):
    then = timezone.now() - datetime.timedelta(days=2)
    with time_machine.travel(then, tick=False):
        quiet = person_create(
            by=people.officer_a, full_name="Quiet Person", nationality="JP"
        ).person
        changed = person_create(
            by=people.officer_a, full_name="Moving Person", nationality="JP"
        ).person
    permit_add(by=people.officer_a, person=changed, permit_type="ITAS")
    _client, token = make_client(people.office_a)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    response = client.get(
        reverse("integration:person-list"), {"updated_since": since}, **bearer(token)
    )
    assert changed.pk in ids(response)
    assert quiet.pk not in ids(response)


def test_a_check_says_whether_its_identity_waits_for_the_officers_confirmation(
    client, people, make_client, field_work
):
    check = field_work["a"][2]
    Check.objects.filter(pk=check.pk).update(identity_pending=True)  # as an offline photo left it
    _client, token = make_client(people.office_a)
    url = reverse("integration:check-detail", args=[check.pk])
    assert client.get(url, **bearer(token)).json()["identity_pending"] is True
    check_identity_confirm(by=check.activity.report.officer, check=Check.objects.get(pk=check.pk))
    assert client.get(url, **bearer(token)).json()["identity_pending"] is False
