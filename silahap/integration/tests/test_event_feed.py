"""The event feed: commit order, resumable cursors, scope, tombstones, bad cursors."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from silahap.events import spine
from silahap.events.types import EventType
from silahap.integration import feed
from silahap.integration.tests.conftest import bearer

pytestmark = pytest.mark.django_db
FEED = "integration:events"


def record(type_, unit, object_type="reports.dailyreport", object_id=1, payload=None):
    return spine.record(
        type=type_,
        object_type=object_type,
        object_id=object_id,
        unit_path=unit.path if unit else "",
        payload=payload or {},
    )


def read(client, token, after=None, **params):
    query = {"after": after} if after is not None else {}
    query.update(params)
    response = client.get(reverse(FEED), query, **bearer(token))
    assert response.status_code == 200, response.content
    return response.json()


def test_the_feed_resumes_after_its_cursor_in_commit_order(client, people, make_client):
    _api_client, token = make_client(people.office_a)
    first = record(EventType.REPORT_SUBMITTED, people.team_a, object_id=11)
    second = record(EventType.REPORT_APPROVED, people.team_a, object_id=11)
    spine.sequence()
    page = read(client, token)
    assert [item["event_id"] for item in page["results"]] == [first.pk, second.pk]
    assert page["results"][0]["url"] == "/api/v1/reports/11/"
    third = record(EventType.REPORT_RETURNED, people.section_a, object_id=12)
    # Not yet numbered: invisible until the sequencer gives it a position after the others.
    assert read(client, token, page["next"])["results"] == []
    spine.sequence()
    later = read(client, token, page["next"])
    assert [item["event_id"] for item in later["results"]] == [third.pk]


def test_pages_of_a_given_size_chain_without_gaps(client, people, make_client):
    _api_client, token = make_client(people.office_a)
    made = [
        record(EventType.ACTIVITY_CREATED, people.team_a, "reports.activity", n) for n in range(5)
    ]
    spine.sequence()
    seen, cursor = [], "0"
    while True:
        page = read(client, token, cursor, limit=2)
        seen += [item["event_id"] for item in page["results"]]
        cursor = page["next"]
        if not page["has_more"]:
            break
    assert seen == [event.pk for event in made]


def test_events_outside_the_scope_are_not_in_the_feed(client, people, make_client):
    _api_client, token = make_client(people.office_a, resources=("units", "reports", "events"))
    record(EventType.REPORT_SUBMITTED, people.section_b, object_id=21)
    record(EventType.PERSON_CREATED, None, "registry.foreignnational", 5)
    mine = record(EventType.REPORT_SUBMITTED, people.team_a, object_id=22)
    spine.sequence()
    page = read(client, token)
    assert [item["event_id"] for item in page["results"]] == [mine.pk]


def test_merges_and_deletions_are_tombstones_without_personal_data(client, people, make_client):
    _api_client, token = make_client(people.dg)
    record(
        EventType.PERSON_MERGED,
        None,
        "registry.foreignnational",
        7,
        payload={"merged_into": 8, "full_name": "Anna Maria"},
    )
    spine.sequence()
    (item,) = read(client, token)["results"]
    assert item["tombstone"] is True
    assert item["data"] == {"merged_into": 8}


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5", "9" * 30, "99999"])
def test_an_invalid_cursor_is_a_400_problem(client, people, make_client, cursor):
    _api_client, token = make_client(people.office_a)
    response = client.get(reverse(FEED), {"after": cursor}, **bearer(token))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "after"


def test_a_client_without_events_gets_403(client, people, make_client):
    _api_client, token = make_client(people.office_a, resources=("units",))
    assert client.get(reverse(FEED), **bearer(token)).status_code == 403


@pytest.mark.parametrize("object_type", sorted(feed.DETAIL_ROUTES))
def test_an_events_url_is_its_resources_detail_url_under_any_script_prefix(object_type):
    route = feed.DETAIL_ROUTES[object_type]
    assert feed.resource_url(object_type, "4071") == reverse(route, args=["4071"])
    set_script_prefix("/silahap/")
    try:
        assert feed.resource_url(object_type, "9") == reverse(route, args=["9"])
        assert feed.resource_url(object_type, "9").startswith("/silahap/api/v1/")
    finally:
        set_script_prefix("/")
    # Not an id of a detail route: no URL (Arabic-Indic digits are digits to str.isdigit).
    for odd in ("", "12a", "\u0661\u0662", "-3"):
        assert feed.resource_url(object_type, odd) is None
    assert feed.resource_url("reports.unknown", "12") is None


def test_a_feed_item_is_the_webhook_body_of_the_same_event(client, people, make_client):
    _api_client, token = make_client(people.office_a)
    event = record(
        EventType.REPORT_RETURNED,
        people.team_a,
        object_id=12,
        payload={"status": "returned", "reason": "nama <b>lengkap</b>", "revision": 2},
    )
    spine.sequence()
    event.refresh_from_db()
    (item,) = read(client, token)["results"]
    assert item == feed.summary(event)
    assert item["data"] == {"status": "returned", "revision": 2}
    assert item["url"] == reverse("integration:report-detail", args=[12])
