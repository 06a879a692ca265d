"""Login throttling (DESIGN.md §3): per username and address together, the same for all names."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.testing.personas import PASSWORD


def attempt(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_until_locked(client, username: str, settings, address: str = "10.0.0.1"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, username, "not-the-password-1", address)


@pytest.mark.django_db
def test_account_locks_after_the_failure_limit_with_a_clear_message(client, people, settings):
    fail_until_locked(client, "officer_a", settings)
    response = attempt(client, "officer_a", PASSWORD)
    assert response.status_code == 429
    assert b'data-testid="login-locked"' in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_below_the_limit_do_not_lock(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "officer_a", "not-the-password-1")
        assert response.status_code == 200
        assert b'data-testid="login-error"' in response.content
    response = attempt(client, "officer_a", PASSWORD)
    assert response.status_code == 302


@pytest.mark.django_db
def test_unknown_username_gets_the_same_answers_as_a_wrong_password(client, people, settings):
    known = attempt(client, "officer_a", "not-the-password-1")
    unknown = attempt(client, "nobody_here", "not-the-password-1")
    assert known.status_code == unknown.status_code == 200
    assert b'data-testid="login-error"' in known.content
    assert b'data-testid="login-error"' in unknown.content
    fail_until_locked(client, "officer_a", settings)
    fail_until_locked(client, "nobody_here", settings)
    known = attempt(client, "officer_a", "x")
    unknown = attempt(client, "nobody_here", "x")
    assert known.status_code == unknown.status_code == 429
    assert b'data-testid="login-locked"' in known.content
    assert b'data-testid="login-locked"' in unknown.content


@pytest.mark.django_db
def test_lockout_is_per_username_and_address_together(client, people, settings):
    fail_until_locked(client, "officer_a", settings, address="10.0.0.1")
    assert attempt(client, "officer_a", PASSWORD, address="10.0.0.1").status_code == 429
    # The same office address, another officer: still free to log in.
    assert attempt(client, "officer_a2", PASSWORD, address="10.0.0.1").status_code == 302
    client.post(reverse("logout"))
    # The same username from another address: also free.
    assert attempt(client, "officer_a", PASSWORD, address="10.9.9.9").status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(client, people, settings):

    fail_until_locked(client, "officer_a", settings)
    assert attempt(client, "officer_a", PASSWORD).status_code == 429
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timezone.timedelta(seconds=1)
    with time_machine.travel(later):
        assert attempt(client, "officer_a", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_locked_out_attempts_are_audited_without_the_password(client, people, settings):
    fail_until_locked(client, "officer_a", settings)
    attempt(client, "officer_a", PASSWORD)
    failed = AuditEvent.objects.filter(action="auth.login_failed")
    assert failed.count() == settings.AXES_FAILURE_LIMIT + 1
    assert all(event.summary == {"username": "officer_a"} for event in failed)
