"""An office administrator resets a lost second factor, for their own office only."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from silahap.accounts import services as accounts
from silahap.accounts.services.otp import otp_device_reset
from silahap.accounts.tests.helpers import MOMENT, code_for, enrol, password_login
from silahap.audit.models import AuditEvent
from silahap.testing.personas import PASSWORD, SINCE


def office_b_admin(people):
    admin = accounts.user_create(
        by=None, username="admin_b", full_name="Admin B", password=PASSWORD
    )
    accounts.membership_create(
        by=None, user=admin, unit=people.office_b, role="admin", start_date=SINCE
    )
    return admin


def reset_url(user) -> str:
    return reverse("otp_device_reset", args=[user.pk])


@pytest.mark.django_db
def test_office_admin_resets_a_user_of_their_office_and_it_is_audited(client, people):
    with time_machine.travel(MOMENT, tick=False):
        enrol(people.leader_a)
        client.force_login(people.office_admin)
        assert client.get(reset_url(people.leader_a)).status_code == 200
        response = client.post(reset_url(people.leader_a))
    assert response.status_code == 302
    assert response["Location"] == reverse("otp_user_list")
    assert not TOTPDevice.objects.filter(user=people.leader_a).exists()
    assert not StaticDevice.objects.filter(user=people.leader_a).exists()
    event = AuditEvent.objects.get(action="otp_device.reset")
    assert event.actor_id == people.office_admin.pk
    assert event.object_type == "accounts.user"
    assert event.object_id == str(people.leader_a.pk)
    assert event.summary == {"username": "leader_a", "had_authenticator": True}


@pytest.mark.django_db
def test_another_offices_admin_gets_404(client, people):
    with time_machine.travel(MOMENT, tick=False):
        enrol(people.leader_a)
    client.force_login(office_b_admin(people))
    assert client.get(reset_url(people.leader_a)).status_code == 404
    assert client.post(reset_url(people.leader_a)).status_code == 404
    assert TOTPDevice.objects.filter(user=people.leader_a).exists()
    assert not AuditEvent.objects.filter(action="otp_device.reset").exists()


@pytest.mark.django_db
def test_the_service_refuses_another_offices_admin_and_a_leader(people):
    with time_machine.travel(MOMENT, tick=False):
        enrol(people.officer_a)
    for by in (office_b_admin(people), people.leader_a, people.officer_a):
        with pytest.raises(PermissionDenied):
            otp_device_reset(by=by, user=people.officer_a)
    assert TOTPDevice.objects.filter(user=people.officer_a).exists()


@pytest.mark.django_db
def test_a_leader_who_sees_the_user_gets_403(client, people):
    client.force_login(people.leader_a)
    assert client.post(reset_url(people.officer_a)).status_code == 403


@pytest.mark.django_db
def test_after_a_reset_the_user_enrols_again_at_the_next_login(client, people, second_factor_on):
    with time_machine.travel(MOMENT, tick=False):
        enrol(people.leader_a)
        password_login(client, people.leader_a)
        assert client.get("/")["Location"].startswith(reverse("otp_verify"))
        otp_device_reset(by=people.office_admin, user=people.leader_a)
        assert client.get("/")["Location"].startswith(reverse("login"))
        password_login(client, people.leader_a)
        assert client.get("/")["Location"].startswith(reverse("otp_enrol"))


@pytest.mark.django_db
def test_a_reset_ends_the_sessions_that_passed_the_code_on_the_lost_phone(
    client, people, second_factor_on
):
    with time_machine.travel(MOMENT, tick=False) as clock:
        device, _codes = enrol(people.leader_a)
        clock.shift(30)
        password_login(client, people.leader_a)
        client.post(reverse("otp_verify"), {"code": code_for(device.key)})
        assert client.get("/").status_code == 200
        otp_device_reset(by=people.office_admin, user=people.leader_a)
        assert client.get("/")["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_list_shows_only_the_admins_office_with_bounded_queries(
    client, people, django_assert_max_num_queries
):
    with time_machine.travel(MOMENT, tick=False):
        enrol(people.leader_a)
        enrol(people.leader_b)
    client.force_login(people.office_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("otp_user_list"))
    assert response.status_code == 200
    listed = {user.username: user.has_authenticator for user in response.context["page"]}
    assert listed["leader_a"] is True
    assert listed["officer_a"] is False
    assert "leader_b" not in listed
    assert "officer_b" not in listed
    assert reset_url(people.leader_a) in response.content.decode()


@pytest.mark.django_db
def test_the_list_is_for_administrators(client, people):
    client.force_login(people.leader_a)
    assert client.get(reverse("otp_user_list")).status_code == 403
