"""direction_send: who it reaches on the day, what is refused, once per key, audited."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from silahap.accounts.models import Membership
from silahap.events.models import BusinessEvent
from silahap.guidance.models import AboutKind, Direction, DirectionRecipient
from silahap.guidance.tests.helpers import new_user, send, tiny_pdf, users
from silahap.reports.tests.factories import acting_leader, audit_records, place

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_direction_to_a_team_reaches_its_members_on_the_day(people):
    direction = send(people)
    assert users(direction.recipients.all()) == ["officer_a", "officer_a2"]
    assert direction.sent_on == people.section_a.local_today()


def test_a_direction_to_a_unit_reaches_its_acting_holder_and_not_past_or_future_members(people):
    plh = new_user("plh_tim1", people.office_a, Membership.Role.OFFICER)
    acting_leader(user=plh, unit=people.team_a, start_date=TODAY, end_date=None)
    moved = new_user("moved_away", people.team_a, end_date=TODAY - datetime.timedelta(days=1))
    arriving = new_user("arriving", people.team_a, start_date=TODAY + datetime.timedelta(days=3))
    direction = send(people, units=[people.section_a])
    names = users(direction.recipients.all())
    assert "plh_tim1" in names
    assert moved.username not in names
    assert arriving.username not in names
    assert "leader_a" not in names  # not to oneself


def test_a_direction_to_people_reaches_only_them(people):
    direction = send(people, units=[], people=[people.officer_a2])
    assert users(direction.recipients.all()) == ["officer_a2"]
    assert direction.addressed == {"units": [], "people": [people.officer_a2.pk]}


def test_a_person_outside_the_senders_unit_is_refused_by_name(people):
    with pytest.raises(ValidationError) as refused:
        send(people, units=[], people=[people.officer_a, people.officer_b])
    assert "Officer B" in str(refused.value.message_dict["people"])
    assert not Direction.objects.exists()


def test_a_unit_outside_the_senders_unit_is_refused(people):
    with pytest.raises(ValidationError) as refused:
        send(people, units=[people.section_b])
    assert "units" in refused.value.message_dict


def test_an_officer_cannot_give_directions(people):
    with pytest.raises(PermissionDenied):
        send(people, by=people.officer_a, unit=people.team_a)


def test_empty_text_past_due_date_and_no_recipient_are_each_refused(people):
    with pytest.raises(ValidationError) as refused:
        send(people, body="   ", units=[], due_date=TODAY - datetime.timedelta(days=1))
    assert set(refused.value.message_dict) == {"body", "people", "due_date"}
    assert not DirectionRecipient.objects.exists()


def test_the_same_key_sends_once(people):
    key = uuid.uuid4()
    with audit_records("direction.send"):
        first = send(people, client_id=key)
        again = send(people, client_id=key)
    assert first.pk == again.pk
    assert BusinessEvent.objects.filter(type="direction.sent").count() == 1


def test_an_attachment_must_be_a_pdf_or_a_photo(people):
    with pytest.raises(ValidationError) as refused:
        send(people, attachment=b"MZ\x90\x00" + b"\x00" * 200)
    assert "attachment" in refused.value.message_dict
    direction = send(people, attachment=tiny_pdf())
    assert direction.attachment_content_type == "application/pdf"
    assert len(direction.attachment_sha256) == 64


def test_a_direction_links_a_record_the_sender_can_see(people):
    hotel = place(by=people.officer_a)
    direction = send(people, about_type=AboutKind.PLACE, about_id=hotel.pk)
    assert (direction.about_type, direction.about_id) == ("registry.place", hotel.pk)
    with pytest.raises(ValidationError) as refused:
        send(people, about_type=AboutKind.ACTIVITY, about_id=999_999)
    assert "about_id" in refused.value.message_dict
