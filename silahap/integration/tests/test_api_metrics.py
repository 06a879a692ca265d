"""Metrics from insights through the API: the rollups' numbers, with the evaluation pages' scope."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse

from silahap.audit.models import AuditEvent
from silahap.insights.metrics import METRICS
from silahap.insights.tests.helpers import drain
from silahap.integration.tests.conftest import bearer
from silahap.reports import services as reports
from silahap.reports.tests.factories import at, field_activity, person, place

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 24)
PERIOD = "2025-03"
READS = ("metrics",)


def _work(officer, *, persons: int) -> None:
    activity = field_activity(by=officer, started_at=at(9, day=DAY), place=place(by=officer))
    for number in range(persons):
        reports.check_create(
            by=officer,
            client_id=uuid.uuid4(),
            activity=activity,
            person=person(by=officer, name=f"P {number}", document=f"M{officer.pk}X{number}"),
            verification_method="physical_document",
            result="compliant",
        )
    reports.report_submit(report=activity.report, by=officer, now=at(16, day=DAY))


@pytest.fixture
def month(people):
    _work(people.officer_a, persons=2)
    _work(people.officer_a2, persons=1)
    _work(people.officer_b, persons=3)
    drain()
    return people


def _get(client, token, route, *args, **params):
    return client.get(reverse(f"integration:{route}", args=args), params, **bearer(token))


def test_a_units_values_are_the_rollups_numbers(client, month, make_client):
    _client, token = make_client(month.office_a, resources=READS)
    response = _get(client, token, "metric-detail", month.office_a.pk, period=PERIOD)
    assert response.status_code == 200
    body = response.json()
    assert body["unit"] == month.office_a.pk
    assert (body["date_from"], body["date_to"]) == ("2025-03-01", "2025-03-31")
    assert body["values"]["activities"] == 2
    assert body["values"]["persons_checked"] == 3
    again = client.get(
        reverse("integration:metric-detail", args=[month.office_a.pk]),
        {"period": PERIOD},
        HTTP_IF_NONE_MATCH=response["ETag"],
        **bearer(token),
    )
    assert again.status_code == 304


def test_a_national_client_reads_one_row_per_region(client, month, make_client):
    _client, token = make_client(month.dg, resources=READS)
    response = _get(
        client, token, "metric-list", unit=month.dg.pk, period=PERIOD, metric="persons_checked"
    )
    rows = {row["unit"]: row["values"] for row in response.json()["results"]}
    assert rows[month.kanwil_banten.pk] == {"persons_checked": 3}
    assert rows[month.office_b.parent_id] == {"persons_checked": 3}


def test_per_officer_values_are_paged_and_audited(client, month, make_client):
    api_client, token = make_client(month.office_a, resources=READS)
    first = _get(
        client,
        token,
        "metric-list",
        unit=month.office_a.pk,
        by="officer",
        period=PERIOD,
        metric="activities,persons_checked",
        page_size=1,
    ).json()
    assert first["next"]
    second = client.get(first["next"], **bearer(token)).json()
    rows = {row["officer"]: row["values"] for row in first["results"] + second["results"]}
    assert rows[month.officer_a.pk] == {"activities": 1, "persons_checked": 2}
    assert rows[month.officer_a2.pk] == {"activities": 1, "persons_checked": 1}
    assert month.officer_b.pk not in rows
    event = AuditEvent.objects.filter(action="api.read", object_type="accounts.user").latest(
        "sequence"
    )
    assert event.actor_id == api_client.account_id
    assert event.summary["client"] == api_client.name


def test_another_offices_unit_is_404(client, month, make_client):
    _client, token = make_client(month.office_a, resources=READS)
    for response in (
        _get(client, token, "metric-detail", month.office_b.pk),
        _get(client, token, "metric-list", unit=month.office_b.pk, by="officer"),
        _get(client, token, "metric-detail", 999_999_999),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2025-03-31", "date_to": "2025-03-01"}, "date_to"),
        ({"date_from": "2020-01-01", "date_to": "2025-03-01"}, "date_to"),
        ({"date_from": "2025-02-30", "date_to": "2025-03-01"}, "date_from"),
        ({"period": "2025-13"}, "period"),
        ({"metric": "activities,bogus"}, "metric"),
        ({"by": "team"}, "by"),
        ({"cursor": "!!"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"unit": "abc"}, "unit"),
    ],
)
def test_bad_input_is_400_naming_the_field(client, people, make_client, params, field):
    _client, token = make_client(people.office_a, resources=READS)
    response = _get(client, token, "metric-list", **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_definitions_list_every_metric_with_its_formula(client, people, make_client):
    _client, token = make_client(people.office_a, resources=READS)
    body = _get(client, token, "metric-definitions").json()
    assert [row["key"] for row in body] == [metric.key for metric in METRICS]
    assert all(row["formula_id"] and row["formula_en"] for row in body)


def test_an_officer_signed_in_has_no_units_to_evaluate(client, month):
    client.force_login(month.officer_a)
    assert client.get(reverse("integration:metric-list")).json()["results"] == []
    response = client.get(reverse("integration:metric-detail", args=[month.team_a.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("officers", [1, 3])
def test_per_officer_list_takes_a_fixed_number_of_queries(
    client, people, make_client, django_assert_max_num_queries, officers
):
    for officer in (people.officer_a, people.officer_a2, people.leader_a)[:officers]:
        _work(officer, persons=1)
    drain()
    _client, token = make_client(people.office_a, resources=READS)
    with django_assert_max_num_queries(16):
        response = _get(
            client, token, "metric-list", unit=people.office_a.pk, by="officer", period=PERIOD
        )
    assert response.status_code == 200
