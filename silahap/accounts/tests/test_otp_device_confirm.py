"""Enrolling an authenticator: QR code, first code, recovery codes shown once, audited."""

from __future__ import annotations

import base64
import binascii

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from silahap.accounts import otp
from silahap.accounts.services.otp import otp_device_confirm
from silahap.accounts.tests.helpers import MOMENT, code_for, english, enrol, password_login
from silahap.audit.models import AuditEvent


@pytest.mark.django_db
def test_leader_enrols_by_scanning_and_confirming_a_first_code(
    client, people, second_factor_on, django_assert_max_num_queries
):
    with time_machine.travel(MOMENT, tick=False):
        password_login(english(client), people.leader_a)
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("otp_enrol"))
        with django_assert_max_num_queries(12):
            page = client.get(response["Location"])
        assert page.status_code == 200
        html = page.content.decode()
        assert 'src="data:image/svg+xml' in html
        # Directives come in no fixed order (django-csp builds them from a set).
        policy = dict(
            part.strip().split(" ", 1) for part in page["Content-Security-Policy"].split(";")
        )
        assert policy["img-src"] == "'self' data:"
        assert policy["script-src"] == "'self'"
        key = client.session[otp.PENDING_KEY_SESSION]
        typed_secret = base64.b32encode(binascii.unhexlify(key)).decode()
        assert page.context["secret"].replace(" ", "") == typed_secret
        response = client.post(reverse("otp_enrol"), {"code": code_for(key), "next": "/"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("otp_recovery_codes"))
        device = TOTPDevice.objects.get(user=people.leader_a)
        assert device.confirmed
        assert device.key == key
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        assert otp.PENDING_KEY_SESSION not in client.session
        codes_page = client.get(response["Location"])
        codes = codes_page.context["codes"]
        assert len(codes) == otp.RECOVERY_CODE_COUNT
        assert set(codes) == set(
            StaticToken.objects.filter(device__user=people.leader_a).values_list("token", flat=True)
        )
        # Shown once: a reload has nothing to show.
        assert client.get(response["Location"]).status_code == 302
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_enrolment_refuses_a_wrong_code_and_keeps_the_same_secret(client, people, second_factor_on):
    with time_machine.travel(MOMENT, tick=False):
        password_login(english(client), people.leader_a)
        client.get(reverse("otp_enrol"))
        key = client.session[otp.PENDING_KEY_SESSION]
        wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
        response = client.post(reverse("otp_enrol"), {"code": wrong})
        assert response.status_code == 422
        assert "does not match" in response.content.decode()
        assert client.session[otp.PENDING_KEY_SESSION] == key
        assert not TOTPDevice.objects.filter(user=people.leader_a).exists()
        assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_enrolment_accepts_a_code_one_step_late(people):
    with time_machine.travel(MOMENT, tick=False):
        key = otp.new_secret()
        late = code_for(key, seconds_later=-30)
        device, _codes = otp_device_confirm(
            by=people.leader_a, key=key, code=late, session_verified=False
        )
    assert device.confirmed


@pytest.mark.django_db
def test_enrolment_with_a_code_from_another_secret_fails(people):
    with time_machine.travel(MOMENT, tick=False), pytest.raises(ValidationError):
        otp_device_confirm(
            by=people.leader_a,
            key=otp.new_secret(),
            code=code_for(otp.new_secret()),
            session_verified=False,
        )
    assert not TOTPDevice.objects.filter(user=people.leader_a).exists()


@pytest.mark.django_db
def test_replacing_an_authenticator_needs_a_verified_session(people):
    with time_machine.travel(MOMENT, tick=False):
        first, _codes = enrol(people.leader_a)
        key = otp.new_secret()
        with pytest.raises(PermissionDenied):
            otp_device_confirm(
                by=people.leader_a, key=key, code=code_for(key), session_verified=False
            )
        second, _codes = otp_device_confirm(
            by=people.leader_a, key=key, code=code_for(key), session_verified=True
        )
    assert list(TOTPDevice.objects.filter(user=people.leader_a)) == [second]
    event = AuditEvent.objects.filter(action="otp_device.confirm").latest("sequence")
    assert event.summary == {"replaced": True, "recovery_codes": otp.RECOVERY_CODE_COUNT}


@pytest.mark.django_db
def test_unverified_user_with_a_device_cannot_reach_the_enrolment_page(
    client, people, second_factor_on
):
    with time_machine.travel(MOMENT, tick=False):
        enrol(people.leader_a)
        password_login(client, people.leader_a)
        response = client.get(reverse("otp_enrol"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))


@pytest.mark.django_db
def test_the_audit_event_holds_neither_the_secret_nor_the_codes(people):
    with time_machine.travel(MOMENT, tick=False):
        device, codes = enrol(people.leader_a)
    event = AuditEvent.objects.get(action="otp_device.confirm")
    assert event.actor_id == people.leader_a.pk
    assert event.object_id == str(people.leader_a.pk)
    stored = f"{event.summary} {event.object_type}"
    assert device.key not in stored
    assert all(code not in stored for code in codes)


@pytest.mark.django_db
def test_an_officer_may_enrol_of_their_own_accord_and_is_then_asked(
    client, people, second_factor_on
):
    with time_machine.travel(MOMENT, tick=False):
        password_login(client, people.officer_a)
        assert client.get(reverse("reports:my_reports")).status_code == 200
        enrol(people.officer_a)
        client.post(reverse("logout"))
        password_login(client, people.officer_a)
        response = client.get(reverse("reports:my_reports"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))
