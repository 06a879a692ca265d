"""An activity started from a task links it through the activity form's extension point: reports
does not import supervision (#14). Others' tasks are 404; a refused link saves nothing."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from silahap.reports.models import Activity
from silahap.supervision.models import TaskActivity
from silahap.supervision.task_picker import FIELD, TaskField
from silahap.supervision.tests.helpers import place, task_for, warrant

pytestmark = pytest.mark.django_db


def form(hotel, **extra) -> dict:
    now = timezone.localtime()
    return {
        "client_id": str(uuid.uuid4()),
        "kind": "field",
        "source": "independent",
        "classification": "open",
        "warrant_number": "SP-01/INTEL/2025",
        "warrant_date": now.date().isoformat(),
        "started_at": now.strftime("%Y-%m-%dT%H:%M"),
        "place": hotel.pk,
        "place_mode": "existing",
        **extra,
    }


def test_an_activity_started_from_a_task_links_it_once(client, people):
    work = task_for(people, warrant(people))
    hotel = place(by=people.officer_a)
    client.force_login(people.officer_a)
    url = reverse("reports:activity_create")
    page = client.get(url, {"task": work.pk}).content.decode()
    assert 'data-testid="activity-task"' in page
    assert f'name="{FIELD}" value="{work.pk}"' in page
    data = form(hotel, **{FIELD: str(work.pk)})
    first, second = client.post(url, data), client.post(url, data)  # a double tap
    assert first.status_code == second.status_code == 302
    link = TaskActivity.objects.get()
    assert (link.task, link.activity) == (work, Activity.objects.get())


def test_another_officers_task_is_404_and_nothing_is_saved(client, people):
    work = task_for(people, warrant(people))
    hotel = place(by=people.officer_a2)
    client.force_login(people.officer_a2)
    url = reverse("reports:activity_create")
    assert client.get(url, {"task": work.pk}).status_code == 404
    assert client.post(url, form(hotel, **{FIELD: str(work.pk)})).status_code == 404
    assert client.post(url, form(hotel, task=str(work.pk))).status_code == 404
    assert not Activity.objects.exists()
    assert not TaskActivity.objects.exists()


def test_without_a_task_the_form_has_no_task_field(client, people):
    client.force_login(people.officer_a)
    page = client.get(reverse("reports:activity_create")).content.decode()
    assert FIELD not in page
    assert 'data-testid="activity-task"' not in page


def test_the_task_fields_label_speaks_indonesian(people):
    """Its label names the field in a form error; it was missing from the catalogue."""
    field = TaskField(task_for(people, warrant(people)))
    with translation.override("id"):
        assert str(field.label) == "Penugasan"
    with translation.override("en"):
        assert str(field.label) == "Task"
