"""Reading, doing, noting and reminding: answers are given once; urgent ones notify at once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from silahap.guidance.models import DirectionNote
from silahap.guidance.services import directions as services
from silahap.guidance.tests.helpers import send
from silahap.reports.tests.factories import audit_records
from silahap.supervision.models import Notification
from silahap.testing.worker import run_queued

pytestmark = pytest.mark.django_db


def test_reading_twice_keeps_the_first_time(people):
    direction = send(people)
    with audit_records("direction.acknowledge"):
        first = services.direction_acknowledge(by=people.officer_a, direction=direction)
        again = services.direction_acknowledge(by=people.officer_a, direction=direction)
    assert first.read_at == again.read_at is not None


def test_done_is_given_once_and_a_correction_is_a_note(people):
    direction = send(people)
    row = services.direction_done(by=people.officer_a, direction=direction, note="Sudah dicek.")
    assert row.read_at is not None
    assert row.done_note == "Sudah dicek."
    with pytest.raises(ValidationError):
        services.direction_done(by=people.officer_a, direction=direction, note="Ralat")
    services.direction_note_add(by=people.officer_a, direction=direction, body="Ralat: 2 hotel.")
    row.refresh_from_db()
    assert row.done_note == "Sudah dicek."
    assert list(DirectionNote.objects.values_list("body", flat=True)) == ["Ralat: 2 hotel."]


def test_done_needs_a_note(people):
    direction = send(people)
    with pytest.raises(ValidationError):
        services.direction_done(by=people.officer_a, direction=direction, note=" ")


def test_only_a_recipient_answers(people):
    direction = send(people)
    with pytest.raises(PermissionDenied):
        services.direction_acknowledge(by=people.head_a, direction=direction)


def test_an_urgent_direction_notifies_at_once(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        urgent = send(people, priority="urgent")
        send(people, body="Biasa saja.")
    run_queued()
    notes = Notification.objects.filter(kind="direction_urgent")
    assert sorted(n.recipient.username for n in notes) == ["officer_a", "officer_a2"]
    assert {n.object_id for n in notes} == {str(urgent.pk)}


def test_reminding_tells_only_those_who_have_not_read(people, django_capture_on_commit_callbacks):
    direction = send(people)
    services.direction_acknowledge(by=people.officer_a, direction=direction)
    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.direction_remind(by=people.leader_a, direction=direction)
    run_queued()
    assert reminded == [people.officer_a2.pk]
    assert list(
        Notification.objects.filter(kind="direction_reminder").values_list(
            "recipient__username", flat=True
        )
    ) == ["officer_a2"]


def test_an_officer_cannot_remind(people):
    direction = send(people)
    with pytest.raises(PermissionDenied):
        services.direction_remind(by=people.officer_a, direction=direction)
