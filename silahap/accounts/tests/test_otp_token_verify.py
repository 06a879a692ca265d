"""The code step after the password: authenticator codes, recovery codes, throttling, audit."""

from __future__ import annotations

import datetime
import logging

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from silahap.accounts.services.otp import otp_token_verify
from silahap.accounts.tests.helpers import MOMENT, code_for, english, enrol, password_login
from silahap.audit.models import AuditEvent

STEP = datetime.timedelta(seconds=30)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.mark.django_db
def test_leader_with_an_authenticator_is_asked_for_a_code_then_reaches_the_page(
    client, people, second_factor_on, django_assert_max_num_queries
):
    with time_machine.travel(MOMENT, tick=False) as clock:
        device, _codes = enrol(people.leader_a)
        clock.shift(STEP)
        password_login(english(client), people.leader_a)
        response = client.get(reverse("reports:review_queue"))
        assert response.status_code == 302
        verify_url = response["Location"]
        assert verify_url.startswith(reverse("otp_verify") + "?next=%2Freports%2F")
        with django_assert_max_num_queries(12):
            assert client.get(verify_url).status_code == 200
        before = client.session.session_key
        response = client.post(
            verify_url, {"code": code_for(device.key), "next": reverse("reports:review_queue")}
        )
        assert client.session.session_key != before
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:review_queue")
        assert client.get(reverse("reports:review_queue")).status_code == 200
    event = AuditEvent.objects.filter(action="auth.second_factor").get()
    assert event.actor_id == people.leader_a.pk
    assert event.summary == {"method": "totp"}


@pytest.mark.django_db
def test_a_wrong_code_is_refused_counted_and_audited(client, people, second_factor_on):
    with time_machine.travel(MOMENT, tick=False) as clock:
        device, _codes = enrol(people.leader_a)
        clock.shift(STEP)
        password_login(english(client), people.leader_a)
        response = client.post(reverse("otp_verify"), {"code": wrong(code_for(device.key))})
        assert response.status_code == 422
        assert "not right" in response.content.decode()
        assert client.get("/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    event = AuditEvent.objects.get(action="auth.second_factor_failed")
    assert event.actor_id == people.leader_a.pk
    assert event.summary == {"method": "totp", "reason": "wrong_code", "failures": 1}
    assert code_for(device.key) not in str(event.summary)


@pytest.mark.django_db
def test_repeated_wrong_codes_are_throttled_even_when_the_right_one_follows(
    client, people, second_factor_on
):
    with time_machine.travel(MOMENT, tick=False) as clock:
        device, _codes = enrol(people.leader_a)
        clock.shift(STEP)
        password_login(english(client), people.leader_a)
        client.post(reverse("otp_verify"), {"code": wrong(code_for(device.key))})
        clock.shift(datetime.timedelta(seconds=2))
        client.post(reverse("otp_verify"), {"code": wrong(code_for(device.key))})
        # Two failures: the next attempt must wait two seconds, even with the right code.
        response = client.post(reverse("otp_verify"), {"code": code_for(device.key)})
        assert response.status_code == 429
        assert "Too many wrong codes" in response.content.decode()
        assert client.get("/").status_code == 302
        clock.shift(datetime.timedelta(seconds=3))
        response = client.post(reverse("otp_verify"), {"code": code_for(device.key)})
        assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    failures = AuditEvent.objects.filter(action="auth.second_factor_failed")
    assert [event.summary["reason"] for event in failures.order_by("sequence")] == [
        "wrong_code",
        "wrong_code",
        "throttled",
    ]


@pytest.mark.django_db
def test_the_code_that_confirmed_enrolment_cannot_be_replayed(people):
    with time_machine.travel(MOMENT, tick=False) as clock:
        device, _codes = enrol(people.leader_a)
        assert otp_token_verify(user=people.leader_a, code=code_for(device.key)).device is None
        clock.shift(STEP)
        assert otp_token_verify(user=people.leader_a, code=code_for(device.key)).device
        clock.shift(datetime.timedelta(seconds=2))
        # Same time step, same code: already used.
        assert otp_token_verify(user=people.leader_a, code=code_for(device.key)).device is None


@pytest.mark.django_db
def test_a_code_once_accepted_is_refused_the_second_time(client, people, second_factor_on):
    with time_machine.travel(MOMENT, tick=False) as clock:
        device, _codes = enrol(people.leader_a)
        clock.shift(STEP)
        code = code_for(device.key)
        password_login(client, people.leader_a)
        assert client.post(reverse("otp_verify"), {"code": code}).status_code == 302
        client.post(reverse("logout"))
        clock.shift(datetime.timedelta(seconds=5))
        password_login(client, people.leader_a)
        assert client.post(reverse("otp_verify"), {"code": code}).status_code == 422


@pytest.mark.django_db
def test_a_recovery_code_works_once(client, people, second_factor_on):
    with time_machine.travel(MOMENT, tick=False):
        _device, codes = enrol(people.leader_a)
        password_login(client, people.leader_a)
        typed = codes[0].upper()[:4] + " " + codes[0].upper()[4:]
        response = client.post(reverse("otp_verify"), {"code": typed, "next": "/"})
        assert response.status_code == 302
        assert client.get("/").status_code == 200
        assert not StaticToken.objects.filter(token=codes[0]).exists()
        assert StaticToken.objects.filter(device__user=people.leader_a).count() == len(codes) - 1
        client.post(reverse("logout"))
        password_login(client, people.leader_a)
        assert client.post(reverse("otp_verify"), {"code": codes[0]}).status_code == 422
    events = AuditEvent.objects.filter(action__startswith="auth.second_factor")
    assert [(e.action, e.summary["method"]) for e in events.order_by("sequence")] == [
        ("auth.second_factor", "recovery"),
        ("auth.second_factor_failed", "recovery"),
    ]


@pytest.mark.django_db
def test_another_users_recovery_code_does_not_work(people):
    with time_machine.travel(MOMENT, tick=False):
        enrol(people.leader_a)
        _device, codes_b = enrol(people.leader_b)
        result = otp_token_verify(user=people.leader_a, code=codes_b[0])
    assert result.device is None
    assert StaticToken.objects.filter(token=codes_b[0]).exists()


@pytest.mark.django_db
def test_the_code_step_keeps_only_our_own_next_address(client, people, second_factor_on):
    with time_machine.travel(MOMENT, tick=False) as clock:
        device, _codes = enrol(people.leader_a)
        clock.shift(STEP)
        password_login(client, people.leader_a)
        response = client.post(
            reverse("otp_verify"),
            {"code": code_for(device.key), "next": "https://evil.example/"},
        )
    assert response["Location"] == reverse("home")
    assert TOTPDevice.objects.get(user=people.leader_a).throttling_failure_count == 0


@pytest.mark.django_db
def test_no_log_line_holds_a_code_or_the_secret(client, people, second_factor_on, caplog):
    with time_machine.travel(MOMENT, tick=False) as clock:
        device, codes = enrol(people.leader_a)
        clock.shift(STEP)
        password_login(client, people.leader_a)
        with caplog.at_level(logging.DEBUG):
            bad = wrong(code_for(device.key))
            assert client.post(reverse("otp_verify"), {"code": bad}).status_code == 422
            assert client.post(reverse("otp_verify"), {"code": codes[0]}).status_code == 302
    assert caplog.records, "the refused code should have been logged as a 422"
    for secret in (bad, codes[0], device.key):
        assert secret not in caplog.text
