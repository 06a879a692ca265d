"""Operation events in the feed and the webhooks: read exactly as the operations resource, and a
national operation's events never before its start, without a reader ever missing them."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.events.types import EventType
from silahap.integration.models import WebhookDelivery
from silahap.integration.services.webhooks import webhook_subscribe
from silahap.integration.tests.conftest import bearer
from silahap.integration.webhooks.delivery import attempt
from silahap.operations.services import national
from silahap.operations.services import operations as ops
from silahap.operations.tests.helpers import joint_operation

pytestmark = pytest.mark.django_db
FEED = "integration:events"
READS = ("operations", "events")


def read(client, token, after="0"):
    response = client.get(reverse(FEED), {"after": after}, **bearer(token))
    assert response.status_code == 200, response.content
    return response.json()


def operation_items(page) -> list[tuple[str, str]]:
    return [
        (item["type"], item["object_id"])
        for item in page["results"]
        if item["object_type"] == "operations.operation"
    ]


def national_child(people, *, starts_in=datetime.timedelta(days=2)):
    start = timezone.now() + starts_in
    root = national.national_operation_create(
        by=people.analyst_national,
        unit=people.dg,
        number="JAG-01",
        name="Operasi Jagratara",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=3),
        offices=[national.OfficeShare(people.office_a, target_count=5)],
    )
    return root.children.get()


def test_a_finished_and_reported_operation_is_in_the_feed_of_clients_that_read_it(
    client, people, make_client
):
    operation = joint_operation(people)
    _c, office_a = make_client(people.office_a, resources=READS)
    _c, office_b = make_client(people.office_b, resources=READS)
    _c, no_operations = make_client(people.office_a, resources=("reports", "events"))
    ops.operation_finish(by=people.leader_a, operation=operation)
    ops.operation_report(by=people.leader_a, operation=operation, conclusions="Selesai.")
    spine.sequence()
    page = read(client, office_a)
    key = str(operation.pk)
    assert operation_items(page) == [("operation.finished", key), ("operation.reported", key)]
    finished = next(item for item in page["results"] if item["type"] == "operation.finished")
    assert finished["url"] == f"/api/v1/operations/{operation.pk}/"
    assert finished["data"] == {"status": "finished", "kind": "joint_timpora"}
    assert client.get(finished["url"], **bearer(office_a)).status_code == 200
    for token in (office_b, no_operations):
        assert operation_items(read(client, token)) == []


def test_the_schedulers_start_is_published(client, people, make_client):
    operation = joint_operation(
        people,
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(days=1),
    )
    _c, token = make_client(people.office_a, resources=READS)
    with time_machine.travel(operation.starts_at + datetime.timedelta(minutes=1)):
        assert ops.operation_start_due() == 1
        spine.sequence()
        assert operation_items(read(client, token)) == [("operation.started", str(operation.pk))]


def test_a_national_operations_event_is_held_until_its_start_and_then_not_missed(
    client, people, make_client
):
    child = national_child(people)
    _c, office_a = make_client(people.office_a, resources=READS)
    _c, whole = make_client(people.dg, resources=READS)
    _c, office_b = make_client(people.office_b, resources=READS)
    # The office calls its part off two days ahead: nobody outside may learn of it yet.
    ops.operation_stop(by=people.head_a, operation=child, to="cancelled", reason="Banjir.")
    event = BusinessEvent.objects.get(type=EventType.OPERATION_CANCELLED)
    assert event.publish_at == child.starts_at
    spine.sweep(now=timezone.now() + datetime.timedelta(minutes=5))
    cursors = {}
    for name, token in (("a", office_a), ("dg", whole), ("b", office_b)):
        page = read(client, token)
        assert operation_items(page) == []
        cursors[name] = page["next"]
    # The feed moves on meanwhile, and readers with it.
    ops.operation_finish(by=people.leader_a, operation=joint_operation(people))
    spine.sequence()
    for name, token in (("a", office_a), ("dg", whole)):
        page = read(client, token, cursors[name])
        assert [kind for kind, _key in operation_items(page)] == ["operation.finished"]
        cursors[name] = page["next"]
    with time_machine.travel(child.starts_at - datetime.timedelta(minutes=1)):
        spine.sweep()
        assert read(client, office_a, cursors["a"])["results"] == []
    with time_machine.travel(child.starts_at + datetime.timedelta(minutes=1)):
        spine.sweep()
        event.refresh_from_db()
        assert int(cursors["a"]) < event.position
        for name, token in (("a", office_a), ("dg", whole)):
            page = read(client, token, cursors[name])
            assert operation_items(page) == [("operation.cancelled", str(child.pk))]
            assert page["results"][0]["data"] == {"status": "cancelled", "kind": "national"}
        assert operation_items(read(client, office_b, cursors["b"])) == []
        assert operation_items(read(client, office_b)) == []


def subscription(make_client, unit, url, types):
    api_client, _token = make_client(unit, resources=READS)
    return webhook_subscribe(
        by=api_client.registered_by, client=api_client, url=url, event_types=types
    )


def test_webhooks_get_a_held_event_once_from_the_start_and_only_in_scope(
    people, make_client, receiver
):
    child = national_child(people)
    types = [EventType.OPERATION_CANCELLED, EventType.OPERATION_FINISHED]
    mine = subscription(make_client, people.office_a, receiver.url, types)
    theirs = subscription(make_client, people.office_b, receiver.url, types)
    ops.operation_stop(by=people.head_a, operation=child, to="cancelled", reason="Banjir.")
    event = BusinessEvent.objects.get(type=EventType.OPERATION_CANCELLED)
    spine.dispatch(event.pk)
    spine.sweep(now=timezone.now() + datetime.timedelta(minutes=5))
    assert not WebhookDelivery.objects.exists()
    with time_machine.travel(child.starts_at + datetime.timedelta(minutes=1)):
        spine.sweep()
        spine.sweep()
        spine.dispatch(event.pk)
        (delivery,) = WebhookDelivery.objects.all()
        assert delivery.subscription == mine.subscription
        assert attempt(delivery.pk).status == WebhookDelivery.Status.DELIVERED
        (got,) = receiver.received
        body = Webhook(mine.secret).verify(got.body, got.headers)
    assert not WebhookDelivery.objects.filter(subscription=theirs.subscription).exists()
    assert body["type"] == "operation.cancelled"
    assert body["data"]["url"] == f"/api/v1/operations/{child.pk}/"
    assert body["data"]["id"] == str(BusinessEvent.objects.get(pk=event.pk).position)


def test_a_finished_operation_is_delivered_at_once(people, make_client, receiver):
    operation = joint_operation(people)
    new = subscription(make_client, people.office_a, receiver.url, [EventType.OPERATION_FINISHED])
    ops.operation_finish(by=people.leader_a, operation=operation)
    spine.dispatch(BusinessEvent.objects.get(type=EventType.OPERATION_FINISHED).pk)
    (delivery,) = WebhookDelivery.objects.filter(subscription=new.subscription)
    assert delivery.payload["data"] == {"status": "finished", "kind": "joint_timpora"}


def test_a_signed_in_leader_reads_the_operations_events_they_may_read(client, people):
    operation = joint_operation(people)
    ops.operation_finish(by=people.leader_a, operation=operation)
    spine.sequence()
    client.force_login(people.head_a)
    page = client.get(reverse(FEED), {"after": "0"}).json()
    assert operation_items(page) == [("operation.finished", str(operation.pk))]
    client.force_login(people.officer_b)
    assert operation_items(client.get(reverse(FEED), {"after": "0"}).json()) == []
