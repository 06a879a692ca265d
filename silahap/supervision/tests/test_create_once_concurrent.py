"""Fifty identical create requests at the same instant, each on its own connection: one row.

Found by the Security II probe: 50 identical requests at once made 18 places, 50 tasks, 50
follow-up steps, 50 absences and 50 imports. PostgreSQL only: SQLite serialises writers, so
requests there cannot overlap (the double-send tests cover the rule on both databases).
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from silahap.audit.models import AuditEvent
from silahap.events.models import BusinessEvent
from silahap.registry.models import Place
from silahap.supervision.tests.creates import CREATE_PAGES, activity_at_new_place_page
from silahap.testing.idempotency import page_key

AT_ONCE = 50
CREATE_ACTIONS = [
    "place.create",
    "warrant.create",
    "task.create",
    "followup.step_add",
    "absence.record",
    "import.upload",
    "activity.create",
]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs many real connections at once (PostgreSQL)"
    ),
    pytest.mark.django_db(transaction=True),
]


PAGES = {**CREATE_PAGES, "activity_at_new_place": activity_at_new_place_page}


@pytest.mark.parametrize("name", PAGES)
def test_fifty_identical_requests_at_once_create_one_row(people, name):
    page = PAGES[name](people)
    probe = Client()
    probe.force_login(page.user)
    key = page_key(probe.get(page.form_url))
    session = probe.cookies
    start = threading.Barrier(AT_ONCE, timeout=60)
    answers: list = []

    def send():
        client = Client()
        client.cookies = session
        data = {**page.data(), "client_id": key}
        try:
            start.wait()
            response = client.post(page.url, data)
            answers.append((response.status_code, response.get("Location")))
        except Exception as error:  # noqa: BLE001 — any failure shows in the assertion below
            answers.append((repr(error), None))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert page.rows.count() == 1
    row = page.rows.get()
    assert str(row.client_id) == key
    # Every request, the first or a repeat, was answered with the same place to go: the row.
    assert len(answers) == AT_ONCE
    assert set(answers) == {(302, answers[0][1])}, answers
    # One audit event and at most one business event for it: the losers' writes were undone.
    target = {"object_type": row._meta.label_lower, "object_id": str(row.pk)}
    assert AuditEvent.objects.filter(action__in=CREATE_ACTIONS, **target).count() == 1
    assert BusinessEvent.objects.filter(**target).count() <= 1
    if name == "activity_at_new_place":
        # The place made on the spot has its own key, derived from the activity's: one too.
        assert Place.objects.filter(name="Hotel Serentak").count() == 1
