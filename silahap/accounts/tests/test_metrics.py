"""Prometheus metrics: only for the bearer of SILAHAP_METRICS_TOKEN (404 to everyone else), with
request latencies by view, queue depth, task failures and audit events per minute."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from silahap.audit import services as audit
from silahap.events.models import BusinessEvent

pytestmark = pytest.mark.django_db
TOKEN = "t" * 40


def scrape(client, token=TOKEN, method="get"):
    return getattr(client, method)(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {token}")


def test_metrics_are_hidden_without_the_token(client, people, settings):
    settings.SILAHAP_METRICS_TOKEN = ""
    assert scrape(client).status_code == 404  # unset: off for everyone
    settings.SILAHAP_METRICS_TOKEN = TOKEN
    assert scrape(client, token="x" * 40).status_code == 404
    assert client.get(reverse("metrics")).status_code == 404
    client.force_login(people.analyst_national)  # a session is not the token
    assert client.get(reverse("metrics")).status_code == 404
    assert scrape(client, method="post").status_code == 405


def test_metrics_name_views_queue_failures_and_audit_events(client, people, settings):

    settings.SILAHAP_METRICS_TOKEN = TOKEN
    client.force_login(people.officer_a)
    assert client.get(reverse("reports:today")).status_code in (200, 302)
    before = scrape(client).content.decode()
    ready = DBTaskResult.objects.filter(status="READY").count()
    assert f"silahap_task_queue_depth {float(ready)}" in before
    waiting = BusinessEvent.objects.filter(handled_at__isnull=True).count()
    assert f"silahap_events_waiting {float(waiting)}" in before
    assert 'silahap_request_seconds_count{method="GET",status=' in before
    assert 'view="reports:today"' in before
    assert "silahap_task_failures_total" in before
    assert "silahap_webhook_attempt_failures_total" in before
    assert "silahap_audit_events_last_minute" in before


def test_audit_events_of_the_last_minute_are_counted(client, people, settings):

    settings.SILAHAP_METRICS_TOKEN = TOKEN

    def gauge() -> float:
        for line in scrape(client).content.decode().splitlines():
            if line.startswith("silahap_audit_events_last_minute "):
                return float(line.split()[1])
        raise AssertionError("no audit gauge")

    before = gauge()
    for _ in range(3):
        audit.record(action="account.viewed", actor=people.office_admin, target=people.officer_a)
    assert gauge() >= 3
    assert before >= 0
