"""Who is asked for a second factor, and what a session that owes one may reach."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from silahap.accounts import services as accounts
from silahap.accounts.middleware import SECOND_FACTOR_OPEN
from silahap.accounts.tests.helpers import MOMENT, code_for, enrol, password_login
from silahap.admin_site import admin_site
from silahap.config import ConfigError, env_subset
from silahap.testing.personas import PASSWORD, SINCE
from silahap.testing.url_matrix import MATRIX

ENROL = reverse("otp_enrol")
VERIFY = reverse("otp_verify")


def lands_on(client, url: str) -> str:
    response = client.get(url)
    return response["Location"] if response.status_code == 302 else str(response.status_code)


@pytest.mark.django_db
def test_the_suite_and_the_demo_default_to_no_second_factor(client, people):
    assert django_settings.SILAHAP_SECOND_FACTOR_ROLES == []
    with time_machine.travel(MOMENT, tick=False):
        enrol(people.leader_a)
        password_login(client, people.leader_a)
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_an_officer_is_not_asked(client, people, second_factor_on):
    password_login(client, people.officer_a)
    assert client.get(reverse("reports:my_reports")).status_code == 200


@pytest.mark.django_db
def test_a_leader_without_an_authenticator_is_sent_to_enrol(client, people, second_factor_on):
    password_login(client, people.leader_a)
    assert lands_on(client, "/").startswith(ENROL)


@pytest.mark.django_db
def test_an_acting_leader_is_asked_like_a_leader(client, people, second_factor_on):
    accounts.membership_create(
        by=None,
        user=people.officer_a2,
        unit=people.team_a,
        role="leader",
        start_date=SINCE,
        is_acting=True,
    )
    password_login(client, people.officer_a2)
    assert lands_on(client, "/").startswith(ENROL)


@pytest.mark.django_db
def test_a_superuser_is_always_asked(client, people, second_factor_on):
    root = accounts.user_create(by=None, username="root", full_name="Root", password=PASSWORD)
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    second_factor_on.SILAHAP_SECOND_FACTOR_ROLES = ["leader"]
    password_login(client, root)
    assert lands_on(client, "/").startswith(ENROL)


@pytest.mark.django_db
def test_the_setting_names_the_roles(client, people, second_factor_on):
    second_factor_on.SILAHAP_SECOND_FACTOR_ROLES = ["officer"]
    password_login(client, people.leader_a)
    assert client.get("/").status_code == 200
    client.post(reverse("logout"))
    password_login(client, people.officer_a)
    assert lands_on(client, "/").startswith(ENROL)


@pytest.mark.django_db
def test_an_unverified_session_reaches_only_the_open_pages(client, people, second_factor_on):
    with time_machine.travel(MOMENT, tick=False):
        enrol(people.leader_a)
        client.force_login(people.leader_a)
        checked = 0
        for name, row in sorted(MATRIX.items()):
            url = row.url(people)
            for method in row.methods:
                response = getattr(client, method.lower())(url, **row.extra(method, people))
                sent_to_verify = response.status_code == 302 and response["Location"].startswith(
                    VERIFY
                )
                # Enrolment is open, but with a device it is the code step that comes first.
                if name in SECOND_FACTOR_OPEN - {"otp_enrol"}:
                    assert not sent_to_verify, f"{method} {name} should stay open"
                else:
                    assert sent_to_verify, f"{method} {name} answered {response.status_code}"
                checked += 1
                if name == "logout" and method == "POST":
                    client.force_login(people.leader_a)
    assert checked > 100


@pytest.mark.django_db
def test_a_page_asked_for_comes_back_after_the_code(client, people, second_factor_on):
    with time_machine.travel(MOMENT, tick=False) as clock:
        device, _codes = enrol(people.leader_a)
        clock.shift(30)
        password_login(client, people.leader_a)
        target = reverse("supervision:followup_list") + "?status=open"
        verify_url = lands_on(client, target)
        response = client.post(verify_url, {"code": code_for(device.key), "next": target})
    assert response["Location"] == target


@pytest.mark.django_db
def test_a_poll_from_an_unverified_session_gets_json_not_a_page(client, people, second_factor_on):
    with time_machine.travel(MOMENT, tick=False):
        enrol(people.leader_a)
        password_login(client, people.leader_a)
        response = client.get(reverse("supervision:board_feed"), HTTP_X_SILAHAP_POLL="1")
    assert response.status_code == 401
    assert response.json()["login"].startswith(VERIFY)


@pytest.mark.django_db
def test_the_admin_site_is_refused_until_the_code_is_given(client, people, second_factor_on):
    with time_machine.travel(MOMENT, tick=False) as clock:
        device, _codes = enrol(people.office_admin)
        clock.shift(30)
        password_login(client, people.office_admin)
        assert lands_on(client, reverse("admin:index")).startswith(VERIFY)
        request = RequestFactory().get("/admin/")
        request.user = people.office_admin
        request.user.is_verified = lambda: False
        assert not admin_site.has_permission(request)
        request.user.is_verified = lambda: True
        assert admin_site.has_permission(request)
        client.post(VERIFY, {"code": code_for(device.key)})
        assert client.get(reverse("admin:index")).status_code == 200


def test_none_means_nobody_and_an_empty_or_unset_setting_the_default(monkeypatch):
    roles = ("officer", "leader", "admin")
    monkeypatch.delenv("SILAHAP_TEST_ROLES", raising=False)
    assert env_subset("SILAHAP_TEST_ROLES", ["leader"], roles) == ["leader"]
    # .env.example lists every setting empty: a copy of it must keep the protection on.
    monkeypatch.setenv("SILAHAP_TEST_ROLES", "")
    assert env_subset("SILAHAP_TEST_ROLES", ["leader"], roles) == ["leader"]
    monkeypatch.setenv("SILAHAP_TEST_ROLES", "None")
    assert env_subset("SILAHAP_TEST_ROLES", ["leader"], roles) == []
    monkeypatch.setenv("SILAHAP_TEST_ROLES", " leader, admin ,")
    assert env_subset("SILAHAP_TEST_ROLES", ["leader"], roles) == ["leader", "admin"]
    monkeypatch.setenv("SILAHAP_TEST_ROLES", "leader,chief")
    with pytest.raises(ConfigError, match="chief"):
        env_subset("SILAHAP_TEST_ROLES", [], roles)


def test_make_run_turns_the_second_factor_off_for_the_demo():
    makefile = (Path(django_settings.BASE_DIR) / "Makefile").read_text()
    run_recipe = makefile.split("\nrun: db\n", 1)[1].split("\n\n", 1)[0]
    assert "SILAHAP_SECOND_FACTOR_ROLES=none " in run_recipe
