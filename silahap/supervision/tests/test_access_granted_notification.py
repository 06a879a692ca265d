"""When an administrator gives someone a role above officer, or any role to an administrator,
the person and the office's leaders are told, in the bell and by email, once."""

from __future__ import annotations

import pytest
from django.core import mail

from silahap.accounts import services
from silahap.supervision import notifications
from silahap.supervision.models import Notification
from silahap.testing.worker import run_queued


@pytest.mark.django_db
def test_a_grant_to_another_administrator_is_told_to_them_and_the_offices_leaders(
    people, django_capture_on_commit_callbacks
):
    second_admin = services.user_create(
        by=None, username="admin2", full_name="Admin Dua", password=None, email="a2@example.org"
    )
    services.membership_create(by=None, user=second_admin, unit=people.office_a, role="admin")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_create(
            by=people.office_admin, user=second_admin, unit=people.section_a, role="officer"
        )
    assert run_queued() == 1
    assert Notification.objects.filter(kind="access_granted").count() == 2
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"admin2", "head_a"}
    notice = Notification.objects.filter(recipient=second_admin).get()
    text = notifications.text(notice)
    assert text.startswith("Office Admin")
    assert "Admin Dua" in text
    assert text.endswith("Seksi Inteldakim Tangerang.")
    assert any("a2@example.org" in message.to for message in mail.outbox)


@pytest.mark.django_db
def test_an_officer_grant_to_an_officer_tells_nobody(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_create(
            by=people.office_admin, user=people.officer_a2, unit=people.section_a, role="officer"
        )
    assert run_queued() == 0
