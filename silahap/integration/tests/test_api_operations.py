"""Operations and their results through the API: the scope of an analyst of the client's unit,
and never a national operation (its area, its results) before its start."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from silahap.integration.services.clients import api_client_register, api_token_issue
from silahap.integration.tests.conftest import bearer
from silahap.operations.services import national
from silahap.operations.services import operations as ops
from silahap.operations.services.running import operation_activity_link
from silahap.operations.tests.helpers import finding_in, joint_operation, operation_activity

pytestmark = pytest.mark.django_db

READS = ("operations",)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _national(people, *, starts_in: datetime.timedelta):
    start = timezone.now() + starts_in
    root = national.national_operation_create(
        by=people.analyst_national,
        unit=people.dg,
        number=f"JAG-{starts_in.days}",
        name="Operasi Jagratara",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=3),
        offices=[national.OfficeShare(people.office_a, target_count=5)],
    )
    return root, root.children.get()


def test_an_office_client_reads_its_offices_operation_and_office_b_gets_404(
    client, people, make_client
):
    operation = joint_operation(people)
    _client, token_a = make_client(people.office_a, resources=READS)
    _client, token_b = make_client(people.office_b, resources=READS)
    assert ids(client.get(reverse("integration:operation-list"), **bearer(token_a))) == {
        operation.pk
    }
    assert ids(client.get(reverse("integration:operation-list"), **bearer(token_b))) == set()
    for route in ("integration:operation-detail", "integration:operation-results"):
        url = reverse(route, args=[operation.pk])
        assert client.get(url, **bearer(token_a)).status_code == 200
        refused = client.get(url, **bearer(token_b))
        assert refused.status_code == 404
        assert refused["Content-Type"] == "application/problem+json"


def test_a_national_operation_is_invisible_to_clients_until_its_start(client, people, make_client):
    root, child = _national(people, starts_in=datetime.timedelta(days=2))
    _client, office = make_client(people.office_a, resources=READS)
    _client, whole = make_client(people.dg, resources=READS)
    # The office's head plans under it on the web page; no client learns of it.
    client.force_login(people.head_a)
    assert client.get(child.get_absolute_url()).status_code == 200
    client.logout()
    for token in (office, whole):
        assert ids(client.get(reverse("integration:operation-list"), **bearer(token))) == set()
        for operation in (root, child):
            for route in ("integration:operation-detail", "integration:operation-results"):
                url = reverse(route, args=[operation.pk])
                assert client.get(url, **bearer(token)).status_code == 404
    with time_machine.travel(root.starts_at + datetime.timedelta(minutes=1)):
        assert ids(client.get(reverse("integration:operation-list"), **bearer(office))) == {
            root.pk,
            child.pk,
        }
        detail = client.get(
            reverse("integration:operation-detail", args=[child.pk]), **bearer(office)
        )
        assert detail.json()["parent"] == root.pk


def test_results_are_counted_from_the_operations_activities(client, people, make_client):
    operation = joint_operation(people)
    activity = operation_activity(people, operation)
    operation_activity_link(by=people.officer_a, operation=operation, activity=activity)
    finding_in(activity, by=people.officer_a)
    _client, token = make_client(people.office_a, resources=READS)
    url = reverse("integration:operation-results", args=[operation.pk])
    response = client.get(url, **bearer(token))
    body = response.json()
    assert response.status_code == 200
    assert body["operation"] == operation.pk
    assert body["activities"] == 1
    assert body["visited"] == 1
    assert body["planned"] == 2
    assert body["checked"] == 1
    assert body["findings"] == 1
    assert body["visited_places"] == [activity.place_id]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"], **bearer(token)).status_code == 304


def test_status_is_read_as_of_now(client, people, make_client):
    started = joint_operation(people)  # approved, started three hours ago: running
    later = joint_operation(
        people,
        number="OPS-02/TNG/2026",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        ends_at=timezone.now() + datetime.timedelta(days=2),
    )
    planned = joint_operation(people, number="OPS-03/TNG/2026", approve=False)
    _client, token = make_client(people.office_a, resources=READS)
    url = reverse("integration:operation-list")
    assert ids(client.get(url + "?status=running", **bearer(token))) == {started.pk}
    assert ids(client.get(url + "?status=approved", **bearer(token))) == {later.pk}
    assert ids(client.get(url + "?status=planned", **bearer(token))) == {planned.pk}
    detail = client.get(reverse("integration:operation-detail", args=[started.pk]), **bearer(token))
    assert detail.json()["status"] == "running"
    ops.operation_finish(by=people.leader_a, operation=started)
    assert ids(client.get(url + "?status=finished", **bearer(token))) == {started.pk}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("unit=1e3", "unit"),
        ("date_from=2026-13-01", "date_from"),
        ("updated_since=2999-01-01T00:00:00Z", "updated_since"),
        ("parent=-1", "parent"),
    ],
)
def test_bad_filters_are_400_naming_the_field(client, people, make_client, query, field):
    _client, token = make_client(people.office_a, resources=READS)
    response = client.get(reverse("integration:operation-list") + "?" + query, **bearer(token))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_a_client_needs_the_resource_and_a_leaders_approval(client, people, make_client):
    joint_operation(people)
    _client, without = make_client(people.office_a, resources=("units",))
    assert client.get(reverse("integration:operation-list"), **bearer(without)).status_code == 403
    unapproved = api_client_register(
        by=people.office_admin, name="Not approved", unit=people.office_a, resources=["operations"]
    )
    assert unapproved.needs_approval
    token = api_token_issue(by=people.office_admin, client=unapproved).raw
    assert client.get(reverse("integration:operation-list"), **bearer(token)).status_code == 403


@pytest.mark.parametrize("count", [1, 4])
def test_the_list_takes_a_fixed_number_of_queries(
    client, people, make_client, django_assert_max_num_queries, count
):
    for number in range(count):
        joint_operation(people, number=f"OPS-Q{number}", approve=False)
    _client, token = make_client(people.office_a, resources=READS)
    with django_assert_max_num_queries(12):
        assert len(ids(client.get(reverse("integration:operation-list"), **bearer(token)))) == count
