"""Whoever uploaded a registry import hears, in the bell, what it created, updated and refused."""

from __future__ import annotations

import pytest

from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.registry.tests.import_helpers import PERSON_HEADER, confirm, csv_bytes, upload
from silahap.supervision.models import Notification

pytestmark = pytest.mark.django_db

ROWS = [
    ["Anna Maria Eriksson", "SE", "L898902C3", "", "F", "12/08/1974", "ITAS", "2C1", "2026-01-09"],
    ["Bruno Müller", "DEU", "C01X00T47", "D", "M", "1980-02-29", "", "", ""],
    ["Bad Date", "SE", "A1", "", "", "31/02/1990", "", "", ""],
]  # fmt: skip


def test_the_uploader_is_told_when_the_import_is_done(people):
    job = upload(people.leader_a, people.office_a, "persons", csv_bytes(PERSON_HEADER, ROWS))
    job = confirm(people.leader_a, job)
    event = BusinessEvent.objects.get(type="import.finished", object_id=str(job.pk))
    assert Notification.objects.count() == 0  # nothing before the commit and the dispatch
    assert spine.dispatch(event.pk) == len(spine.subscribers(event.type))
    note = Notification.objects.get(recipient=people.leader_a, kind="import_finished")
    assert note.params == {"file": "data.csv", "created": 2, "updated": 0, "refused": 1}
    assert note.url == job.get_absolute_url()
    assert spine.dispatch(event.pk) == 0
    assert Notification.objects.count() == 1
