"""An account viewing an unusual number of person records in an hour raises one alert."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from silahap.audit import services as audit
from silahap.audit.models import AuditEvent


def view_persons(user, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        audit.record(
            action="person.view",
            actor=user,
            object_type="registry.foreignnational",
            object_id=number,
            purpose="supervision",
        )


def alerts():
    return AuditEvent.objects.filter(action="alert.unusual_access")


@pytest.mark.django_db
def test_views_up_to_the_limit_raise_nothing(people, settings):
    settings.SILAHAP_UNUSUAL_PERSON_VIEWS_PER_HOUR = 5
    view_persons(people.officer_a, 5)
    view_persons(people.officer_a, 3)  # the same five again
    assert not alerts().exists()


@pytest.mark.django_db
def test_one_view_past_the_limit_alerts_the_officers_leaders_once(people, settings):
    settings.SILAHAP_UNUSUAL_PERSON_VIEWS_PER_HOUR = 5
    view_persons(people.officer_a, 9)
    alert = alerts().get()
    assert alert.actor == people.officer_a
    assert alert.summary["persons_viewed_last_hour"] == 6
    assert alert.summary["leaders"] == ["leader_a"]


@pytest.mark.django_db
def test_alert_comes_again_in_a_later_hour(people, settings):
    settings.SILAHAP_UNUSUAL_PERSON_VIEWS_PER_HOUR = 5
    view_persons(people.officer_a, 6)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        view_persons(people.officer_a, 6, start=100)
    assert alerts().count() == 2


@pytest.mark.django_db
def test_other_accounts_views_do_not_add_up(people, settings):
    settings.SILAHAP_UNUSUAL_PERSON_VIEWS_PER_HOUR = 5
    view_persons(people.officer_a, 4)
    view_persons(people.officer_a2, 4, start=50)
    assert not alerts().exists()
