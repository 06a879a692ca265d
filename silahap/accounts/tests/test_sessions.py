"""Sessions end when they should: idle, absolute limit, logout, password change, deactivation."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import update_session_auth_hash
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.testing.personas import PASSWORD

HOME = "/"
POLL = {"HTTP_X_SILAHAP_POLL": "1"}


def logged_in(client, user) -> Client:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client) -> bool:
    return client.get(HOME).status_code == 200


def later(seconds: int):
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds), tick=False)


@pytest.mark.django_db
def test_login_rotates_the_session_id(client, people):
    client.get(reverse("login"))
    session = client.session
    session["before_login"] = True
    session.save()
    before = session.session_key
    logged_in(client, people.officer_a)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


@pytest.mark.django_db
def test_logout_ends_the_session_on_the_server(client, people):
    logged_in(client, people.officer_a)
    old_key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=old_key).exists()
    replay = Client()
    replay.cookies["sessionid"] = old_key
    assert replay.get(HOME).status_code == 302


@pytest.mark.django_db
def test_idle_session_ends_and_says_why(client, people, settings):
    logged_in(client, people.officer_a)
    assert is_signed_in(client)
    with later(settings.SILAHAP_SESSION_IDLE_SECONDS + 1):
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        page = client.get(response["Location"])
    assert b'data-testid="session-ended"' in page.content
    assert b'data-reason="idle"' in page.content
    assert AuditEvent.objects.filter(action="auth.session_ended", actor=people.officer_a).exists()


@pytest.mark.django_db
def test_activity_keeps_a_session_alive(client, people, settings):
    logged_in(client, people.officer_a)
    step = settings.SILAHAP_SESSION_IDLE_SECONDS * 2 // 3
    with later(step):
        assert is_signed_in(client)
    with later(2 * step):
        assert is_signed_in(client)


@pytest.mark.django_db
def test_polling_does_not_keep_a_session_alive(client, people, settings):
    logged_in(client, people.officer_a)
    step = settings.SILAHAP_SESSION_IDLE_SECONDS * 2 // 3
    with later(step):
        assert client.get(HOME, **POLL).status_code == 200
    with later(2 * step):
        response = client.get(HOME, **POLL)
    # A script gets 401 with the login address, not a redirect it could take for success.
    assert response.status_code == 401
    assert response.json()["login"].startswith(reverse("login"))


@pytest.mark.django_db
def test_session_ends_at_its_absolute_limit_however_busy(client, people, settings):
    settings.SESSION_COOKIE_AGE = 3600
    settings.SILAHAP_SESSION_IDLE_SECONDS = 1800
    logged_in(client, people.officer_a)
    for minutes in (20, 40, 55):
        with later(minutes * 60):
            assert is_signed_in(client)
    with later(3601):
        response = client.get(HOME)
        assert response.status_code == 302
        page = client.get(response["Location"])
    assert b'data-reason="absolute"' in page.content


@pytest.mark.django_db
def test_password_change_ends_the_users_other_sessions(people):

    phone, desk = Client(), Client()
    logged_in(phone, people.officer_a)
    logged_in(desk, people.officer_a)
    user = people.officer_a
    user.set_password("Sebuah-Kata-Sandi-Baru-2026")
    user.save()
    # The session where the change was made keeps going (as PasswordChangeView does).
    request = RequestFactory().get("/")
    request.session = desk.session
    request.user = user
    update_session_auth_hash(request, user)
    request.session.save()
    desk.cookies["sessionid"] = request.session.session_key  # rotated, as the browser is told
    assert is_signed_in(desk)
    assert not is_signed_in(phone)


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["deactivated", "expired"])
def test_deactivated_or_expired_account_is_refused_at_its_next_request(client, people, change):
    user = people.partner
    logged_in(client, user)
    assert is_signed_in(client)
    if change == "deactivated":
        user.is_active = False
        user.save(update_fields=["is_active"])
    else:
        user.account_expires_on = timezone.localdate() - datetime.timedelta(days=1)
        user.save(update_fields=["account_expires_on"])
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
