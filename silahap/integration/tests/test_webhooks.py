"""Webhooks: signed per Standard Webhooks, retried with backoff, logged, disabled, SSRF refused."""

from __future__ import annotations

import datetime
import socket

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook

from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.events.types import EventType
from silahap.integration.models import WebhookDelivery
from silahap.integration.services.webhooks import webhook_delivery_resend, webhook_subscribe
from silahap.integration.subscribers import queue_webhooks
from silahap.integration.webhooks.delivery import RETRY_DELAYS, attempt, retry_window
from silahap.supervision.models import Notification

pytestmark = pytest.mark.django_db


def submitted(people, unit=None):
    return spine.record(
        type=EventType.REPORT_SUBMITTED,
        object_type="reports.dailyreport",
        object_id=41,
        unit_path=(unit or people.team_a).path,
        payload={"revision": 1},
    )


def subscribe(people, make_client, url, types=(EventType.REPORT_SUBMITTED,)):
    api_client, _token = make_client(people.office_a)
    return webhook_subscribe(
        by=people.office_admin, client=api_client, url=url, event_types=list(types)
    )


def test_a_delivery_is_signed_and_verifies_with_standardwebhooks(people, make_client, receiver):
    new = subscribe(people, make_client, receiver.url)
    event = submitted(people)
    queue_webhooks(event)
    delivery = WebhookDelivery.objects.get(subscription=new.subscription)
    assert attempt(delivery.pk).status == WebhookDelivery.Status.DELIVERED
    (got,) = receiver.received
    payload = Webhook(new.secret).verify(got.body, got.headers)
    assert payload["type"] == "report.submitted"
    assert payload["data"]["event_id"] == event.pk
    assert payload["data"]["url"] == "/api/v1/reports/41/"
    assert got.headers["webhook-id"] == delivery.message_id
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 44).verify(got.body, got.headers)


def test_a_receiver_failing_twice_gets_one_more_attempt_per_retry(people, make_client, receiver):
    new = subscribe(people, make_client, receiver.url)
    receiver.statuses = [500, 503]
    queue_webhooks(submitted(people))
    delivery = WebhookDelivery.objects.get(subscription=new.subscription)
    assert attempt(delivery.pk).status == WebhookDelivery.Status.RETRYING
    # Not due yet: nothing is sent before the backoff has passed.
    assert attempt(delivery.pk).attempts == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=10), tick=False):
        assert attempt(delivery.pk).status == WebhookDelivery.Status.RETRYING
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5), tick=False):
        assert attempt(delivery.pk).status == WebhookDelivery.Status.DELIVERED
    assert len(receiver.received) == 3
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    log = list(delivery.tries.order_by("attempted_at").values_list("status_code", flat=True))
    assert log == [500, 503, 204]


def test_retries_last_more_than_a_day_then_disable_and_tell_the_administrator(
    people, make_client, receiver
):
    people.office_admin.email = "admin@kanim.example"
    people.office_admin.save(update_fields=["email"])
    assert retry_window() >= datetime.timedelta(hours=24)
    new = subscribe(people, make_client, receiver.url)
    receiver.statuses = [500] * (len(RETRY_DELAYS) + 1)
    queue_webhooks(submitted(people))
    delivery = WebhookDelivery.objects.get(subscription=new.subscription)
    moment = timezone.now()
    for _n in range(len(RETRY_DELAYS) + 1):
        with time_machine.travel(moment, tick=False):
            delivery = attempt(delivery.pk)
        moment += datetime.timedelta(hours=11)
    assert delivery.status == WebhookDelivery.Status.FAILED
    new.subscription.refresh_from_db()
    assert new.subscription.is_active is False
    assert mail.outbox
    assert "admin@kanim.example" in mail.outbox[0].to
    # ...and in the app, through the spine: the administrator's bell names the client.

    event = BusinessEvent.objects.get(type=EventType.SUBSCRIPTION_DISABLED)
    spine.dispatch(event.pk)
    notice = Notification.objects.get(kind="webhook_disabled")
    assert notice.recipient == people.office_admin
    assert notice.params == {"client": new.subscription.client.name}
    assert notice.url.endswith(f"/webhooks/{new.subscription.pk}/")


def test_a_redirect_is_not_followed(people, make_client, receiver):
    new = subscribe(people, make_client, receiver.url)
    receiver.statuses = [302]
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data/"
    queue_webhooks(submitted(people))
    delivery = WebhookDelivery.objects.get(subscription=new.subscription)
    assert attempt(delivery.pk).status == WebhookDelivery.Status.RETRYING
    assert len(receiver.received) == 1


def test_a_resend_sends_again_with_the_same_id(people, make_client, receiver):
    new = subscribe(people, make_client, receiver.url)
    queue_webhooks(submitted(people))
    delivery = WebhookDelivery.objects.get(subscription=new.subscription)
    attempt(delivery.pk)
    webhook_delivery_resend(by=people.office_admin, delivery=delivery)
    attempt(delivery.pk)
    assert [r.headers["webhook-id"] for r in receiver.received] == [delivery.message_id] * 2


def test_events_outside_the_clients_scope_are_not_delivered(people, make_client, receiver):
    new = subscribe(people, make_client, receiver.url)
    queue_webhooks(submitted(people, people.section_b))
    assert not WebhookDelivery.objects.filter(subscription=new.subscription).exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "http://hooks.example.org/hook",
        "ftp://hooks.example.org/hook",
        "https://user:pw@hooks.example.org/hook",
        "https://metadata.google.internal/",
    ],
)
def test_unsafe_urls_are_refused_at_save(people, make_client, url, monkeypatch):
    monkeypatch.delenv("SILAHAP_WEBHOOK_ALLOWED_HOSTS", raising=False)
    with pytest.raises(ValidationError) as refused:
        subscribe(people, make_client, url)
    assert "url" in refused.value.message_dict


def fake_dns(monkeypatch, answers: dict[str, str]):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            family = socket.AF_INET6 if ":" in answers[host] else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1"])
def test_a_name_resolving_to_a_private_address_is_refused_at_save(
    people, make_client, monkeypatch, address
):
    fake_dns(monkeypatch, {"hooks.example.org": address})
    with pytest.raises(ValidationError):
        subscribe(people, make_client, "https://hooks.example.org/hook")


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1"])
def test_a_name_that_later_resolves_to_a_private_address_is_refused_at_send(
    people, make_client, monkeypatch, address
):
    fake_dns(monkeypatch, {"hooks.example.org": "93.184.216.34"})
    new = subscribe(people, make_client, "https://hooks.example.org/hook")
    fake_dns(monkeypatch, {"hooks.example.org": address})
    queue_webhooks(submitted(people))
    delivery = attempt(WebhookDelivery.objects.get(subscription=new.subscription).pk)
    assert delivery.status == WebhookDelivery.Status.RETRYING
    assert delivery.tries.get().error.startswith("refused:")


def test_due_deliveries_are_queued_again_by_the_command(people, make_client, receiver):
    new = subscribe(people, make_client, receiver.url)
    queue_webhooks(submitted(people))
    assert WebhookDelivery.objects.filter(subscription=new.subscription).count() == 1
    before = DBTaskResult.objects.count()
    call_command("webhooks_send_due", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert DBTaskResult.objects.count() == before + 1
