"""Every list answers in a bounded number of queries, whatever the data size."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from silahap.events import spine
from silahap.integration.tests.conftest import bearer
from silahap.registry.services import person_create
from silahap.reports.services import activity_create, check_create

pytestmark = pytest.mark.django_db
LISTS = [
    "unit",
    "report",
    "activity",
    "check",
    "finding",
    "evidence",
    "followup",
    "followup-step",
    "warrant",
    "task",
    "person",
    "permit",
    "sponsor",
    "place",
]
MAX_QUERIES = 14


def add_work(people, count: int) -> None:
    for n in range(count):
        activity = activity_create(
            by=people.officer_a,
            client_id=uuid.uuid4(),
            kind="administrative",
            source="independent",
            started_at=timezone.now() - datetime.timedelta(minutes=5 + n),
        )
        person = person_create(
            by=people.officer_a,
            full_name=f"Person {n}",
            nationality="JP",
            document_number=f"TK{uuid.uuid4().hex[:7].upper()}",
            permit_type="ITAS",
        ).person
        check_create(
            by=people.officer_a,
            client_id=uuid.uuid4(),
            activity=activity,
            person=person,
            verification_method="statement",
            result="compliant",
        )


@pytest.mark.parametrize("name", LISTS)
def test_a_list_needs_the_same_queries_at_two_sizes(
    client, people, make_client, field_work, django_assert_max_num_queries, name
):
    _api_client, token = make_client(people.dg)
    url = reverse(f"integration:{name}-list")
    client.get(url, **bearer(token))  # the token's last use is written once, not per request
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url, **bearer(token)).status_code == 200
    add_work(people, 6)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url, **bearer(token)).status_code == 200


def test_the_event_feed_needs_the_same_queries_at_two_sizes(
    client, people, make_client, field_work, django_assert_max_num_queries
):
    _api_client, token = make_client(people.dg)
    url = reverse("integration:events")
    spine.sequence()
    client.get(url, **bearer(token))
    with django_assert_max_num_queries(6):
        client.get(url, **bearer(token))
    add_work(people, 6)
    spine.sequence()
    with django_assert_max_num_queries(6):
        assert len(client.get(url, **bearer(token)).json()["results"]) > 10
