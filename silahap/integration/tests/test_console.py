"""The console: administrators register clients and issue tokens shown once; leaders approve;
the delivery log lists attempts and re-sends."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from silahap.events import spine
from silahap.integration.models import ApiClient, ApiToken, WebhookDelivery
from silahap.integration.services.webhooks import webhook_subscribe
from silahap.integration.tests.conftest import bearer
from silahap.integration.webhooks.delivery import attempt, queue_deliveries

pytestmark = pytest.mark.django_db


def register(client, people):
    client.force_login(people.office_admin)
    response = client.post(
        reverse("integration:client_list"),
        {
            "name": "SIMKIM",
            "unit": people.office_a.pk,
            "access": "read",
            "resources": ["reports", "events"],
            "requests_per_minute": 60,
        },
    )
    assert response.status_code == 302, response.content
    return ApiClient.objects.get(name="SIMKIM")


def test_register_approve_and_issue_a_token_shown_once(client, people):
    api_client = register(client, people)
    issued = client.post(
        reverse("integration:token_issue", args=[api_client.pk]), {"valid_days": 30}
    )
    assert issued.status_code == 200
    raw = issued.context["new_token"]
    assert raw in issued.content.decode()
    assert (
        raw
        not in client.get(
            reverse("integration:client_detail", args=[api_client.pk])
        ).content.decode()
    )
    assert ApiToken.objects.get(client=api_client).prefix in raw
    # Until the office's head approves, the token reads no reports.
    assert client.get(reverse("integration:report-list"), **bearer(raw)).status_code == 403
    client.force_login(people.head_a)
    page = client.get(reverse("integration:client_detail", args=[api_client.pk]))
    assert b'data-testid="approve-client"' in page.content
    client.post(reverse("integration:client_approve", args=[api_client.pk]))
    client.logout()
    assert client.get(reverse("integration:report-list"), **bearer(raw)).status_code == 200


def test_an_administrator_cannot_register_above_their_office(client, people):
    client.force_login(people.office_admin)
    response = client.post(
        reverse("integration:client_list"),
        {
            "name": "Wide",
            "unit": people.kanwil_banten.pk,
            "access": "read",
            "resources": ["units"],
            "requests_per_minute": 60,
        },
    )
    assert response.status_code == 422
    assert not ApiClient.objects.exists()


def test_an_unsafe_webhook_url_is_refused_on_the_page(client, people):
    api_client = register(client, people)
    with translation.override("en"):
        response = client.post(
            reverse("integration:subscription_create", args=[api_client.pk]),
            {"url": "https://169.254.169.254/latest", "event_types": ["report.submitted"]},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 422
    assert not api_client.subscriptions.exists()


def test_the_delivery_log_shows_attempts_and_resends(
    client, people, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setenv("SILAHAP_WEBHOOK_ALLOWED_HOSTS", "localhost")
    api_client = register(client, people)
    client.force_login(people.head_a)
    client.post(reverse("integration:client_approve", args=[api_client.pk]))
    client.force_login(people.office_admin)
    subscription = webhook_subscribe(
        by=people.office_admin,
        client=api_client,
        url="http://localhost:9/hook",
        event_types=["report.submitted"],
    ).subscription
    url = reverse("integration:subscription_detail", args=[subscription.pk])
    for count in (1, 6):
        while WebhookDelivery.objects.filter(subscription=subscription).count() < count:
            event = spine.record(
                type="report.submitted",
                object_type="reports.dailyreport",
                object_id=count,
                unit_path=people.team_a.path,
            )
            for delivery in queue_deliveries(event):
                attempt(delivery.pk)
        with django_assert_max_num_queries(20):
            page = client.get(url)
        assert page.content.count(b'data-testid="delivery-row"') == count
    assert b"ConnectionRefusedError" in page.content
    delivery = WebhookDelivery.objects.filter(subscription=subscription).first()
    response = client.post(reverse("integration:delivery_resend", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING


def test_another_offices_leader_does_not_see_the_client(client, people):
    api_client = register(client, people)
    client.force_login(people.leader_b)
    assert client.get(reverse("integration:client_detail", args=[api_client.pk])).status_code == 404
    assert (
        client.post(reverse("integration:client_approve", args=[api_client.pk])).status_code == 404
    )
