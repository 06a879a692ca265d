"""Every refusal a signed-in person meets is in the trail; files and health checks are not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silahap.audit.models import AuditEvent
from silahap.testing.url_matrix import field_activity


@pytest.mark.django_db
def test_a_record_of_another_unit_is_refused_and_recorded(client, people):
    activity = field_activity(people)
    client.force_login(people.officer_b)
    url = reverse("reports:activity_detail", args=[activity.pk])
    assert client.get(url).status_code == 404
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor == people.officer_b
    assert event.summary == {"method": "GET", "path": url, "status": 404}


@pytest.mark.django_db
def test_an_action_refused_with_403_is_recorded(client, people):
    client.force_login(people.partner)
    client.get(reverse("reports:activity_create"))
    event = AuditEvent.objects.get(action="access.denied")
    assert event.summary["status"] == 403


@pytest.mark.django_db
def test_search_terms_are_not_kept_in_the_refusal(client, people):
    client.force_login(people.partner)
    client.get(reverse("registry:person_search") + "?q=anna+maria")
    event = AuditEvent.objects.get(action="access.denied")
    assert "anna" not in str(event.summary)


@pytest.mark.django_db
def test_missing_static_files_and_anonymous_refusals_are_not_recorded(client, people):
    client.get("/static/no-such-file.js")
    client.get("/no-such-page/")
    client.force_login(people.officer_a)
    client.get("/static/no-such-file.js")
    assert not AuditEvent.objects.filter(action="access.denied").exists()
    client.get("/no-such-page/")
    assert AuditEvent.objects.filter(action="access.denied").count() == 1
