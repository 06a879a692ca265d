"""membership_create and the admin's membership form: an administrator grants only within their
office, never to themselves, never a reading role to an account whose password they know."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation

from silahap.accounts import services
from silahap.accounts.models import Membership, User
from silahap.audit.models import AuditEvent
from silahap.events.models import BusinessEvent

ADD_URL = "/admin/accounts/membership/add/"
TODAY = datetime.date(2026, 1, 5)


@pytest.fixture
def client(client):
    """Messages are asserted in English, the language of the code."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post_membership(client, admin, user, unit, role):
    client.force_login(admin)
    return client.post(
        ADD_URL,
        {"user": user.pk, "unit": unit.pk, "role": role, "start_date": TODAY.isoformat()},
    )


def memberships_of(user):
    return set(Membership.objects.filter(user=user).values_list("unit__code", "role"))


@pytest.mark.django_db
def test_administrator_cannot_make_itself_analyst_at_the_directorate_general(client, people):
    before = memberships_of(people.office_admin)
    response = post_membership(
        client, people.office_admin, people.office_admin, people.dg, "analyst"
    )
    assert response.status_code == 422
    assert memberships_of(people.office_admin) == before


@pytest.mark.django_db
def test_administrator_cannot_make_itself_leader_of_its_own_office(client, people):
    response = post_membership(
        client, people.office_admin, people.office_admin, people.office_a, "leader"
    )
    assert response.status_code == 422
    assert "another administrator" in response.content.decode()
    assert not Membership.objects.filter(user=people.office_admin, role="leader").exists()


@pytest.mark.django_db
def test_administrator_cannot_make_its_officer_leader_of_another_office(client, people):
    response = post_membership(
        client, people.office_admin, people.officer_a, people.section_b, "leader"
    )
    assert response.status_code == 422
    assert not Membership.objects.filter(user=people.officer_a, role="leader").exists()


@pytest.mark.django_db
def test_administrator_cannot_make_another_offices_officer_leader_in_its_office(client, people):
    response = post_membership(
        client, people.office_admin, people.officer_b, people.section_a, "leader"
    )
    assert response.status_code == 422
    assert not Membership.objects.filter(user=people.officer_b, role="leader").exists()


@pytest.mark.django_db
def test_administrator_makes_its_officer_leader_of_a_unit_in_its_office(client, people):
    response = post_membership(
        client, people.office_admin, people.officer_a, people.section_a, "leader"
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=people.officer_a, role="leader")
    assert membership.unit == people.section_a


@pytest.mark.django_db
def test_the_service_refuses_a_self_grant_with_the_reason(people):
    with translation.override("en"), pytest.raises(PermissionDenied, match="another administrator"):
        services.membership_create(
            by=people.office_admin, user=people.office_admin, unit=people.team_a, role="officer"
        )


@pytest.mark.django_db
def test_the_service_refuses_an_analyst_above_the_office(people):
    with pytest.raises(PermissionDenied):
        services.membership_create(
            by=people.office_admin, user=people.officer_a, unit=people.kanwil_banten, role="analyst"
        )


@pytest.mark.django_db
def test_a_superuser_may_grant_anything(people):
    root = User.objects.create_superuser("root", "root@example.org", "Uji-Coba-SiLAHAP-2026")
    membership = services.membership_create(
        by=root, user=people.office_admin, unit=people.dg, role="analyst"
    )
    assert membership.pk is not None


@pytest.mark.django_db
def test_an_account_whose_password_the_administrator_set_cannot_take_a_reading_role(people):
    proxy = services.user_create(
        by=people.office_admin,
        username="proxy",
        full_name="Proxy",
        password="Sandi-Rahasia-Proxy-2026",
    )
    assert proxy.password_known_to_administrator()
    services.membership_create(
        by=people.office_admin, user=proxy, unit=people.team_a, role="officer"
    )
    with translation.override("en"), pytest.raises(PermissionDenied, match="password-reset link"):
        services.membership_create(
            by=people.office_admin, user=proxy, unit=people.section_a, role="leader"
        )
    # Once the person chooses their own password the mark no longer matches.
    proxy.set_password("Pilihan-Sendiri-Proxy-2026")
    proxy.save()
    services.membership_create(
        by=people.office_admin, user=proxy, unit=people.section_a, role="leader"
    )


@pytest.mark.django_db
def test_a_grant_to_another_administrator_is_recorded_on_the_event_spine(people):
    second_admin = services.user_create(
        by=None, username="admin2", full_name="Admin Dua", password=None, email="a2@example.org"
    )
    services.membership_create(by=None, user=second_admin, unit=people.office_a, role="admin")
    assert not BusinessEvent.objects.filter(type="membership.granted").exists()  # setup: by=None
    membership = services.membership_create(
        by=people.office_admin, user=second_admin, unit=people.section_a, role="officer"
    )
    event = BusinessEvent.objects.get(type="membership.granted")
    assert (event.object_id, event.actor_id) == (str(membership.pk), people.office_admin.pk)
    assert AuditEvent.objects.filter(pk=event.payload["audit_event"]).exists()


@pytest.mark.django_db
def test_an_officer_grant_to_an_officer_records_no_grant_event(people):
    services.membership_create(
        by=people.office_admin, user=people.officer_a2, unit=people.section_a, role="officer"
    )
    assert not BusinessEvent.objects.filter(type="membership.granted").exists()


@pytest.mark.django_db
def test_an_account_whose_email_the_administrator_typed_is_not_made_a_reader_by_it(client, people):
    # The reset link goes to the address the administrator typed: they could sign in as it.
    taken = services.user_create(by=people.office_admin, username="x", full_name="X", password=None)
    services.membership_create(
        by=people.office_admin, user=taken, unit=people.team_a, role="officer"
    )
    client.force_login(people.office_admin)
    client.post(
        f"/admin/accounts/user/{taken.pk}/change/",
        {"username": "x", "full_name": "X", "email": "admin.tng@example.org", "is_active": "on"},
    )
    taken.refresh_from_db()
    assert taken.email_chosen_by(people.office_admin)
    response = post_membership(client, people.office_admin, taken, people.office_a, "leader")
    assert response.status_code == 422
    assert "another administrator" in response.content.decode()
    assert not Membership.objects.filter(user=taken, role="leader").exists()


@pytest.mark.django_db
def test_the_service_judges_the_stored_account_not_the_callers_stale_copy(people):
    # Found by the property test: the email was typed through another instance of the account,
    # and the service used to judge the caller's copy, which still had no email setter.
    stale = services.user_create(by=None, username="y", full_name="Y", password=None)
    services.membership_create(by=None, user=stale, unit=people.team_a, role="officer")
    services.user_update(
        by=people.office_admin, user=User.objects.get(pk=stale.pk), email="y@example.org"
    )
    assert stale.email_set_by_id is None  # the caller's copy predates the change
    with pytest.raises(PermissionDenied):
        services.membership_create(
            by=people.office_admin, user=stale, unit=people.office_a, role="leader"
        )
    assert not Membership.objects.filter(user=stale, role="leader").exists()


@pytest.mark.django_db
def test_another_administrator_may_make_that_account_a_reader(people):
    taken = services.user_create(by=people.office_admin, username="x", full_name="X", password=None)
    services.user_update(by=people.office_admin, user=taken, email="x@example.org")
    second_admin = services.user_create(by=None, username="admin2", full_name="A2", password=None)
    services.membership_create(by=None, user=second_admin, unit=people.office_a, role="admin")
    membership = services.membership_create(
        by=second_admin, user=User.objects.get(pk=taken.pk), unit=people.office_a, role="leader"
    )
    assert membership.role == "leader"


@pytest.mark.django_db
def test_a_partner_role_for_an_immigration_officer_is_a_form_error(client, people):
    response = post_membership(
        client, people.office_admin, people.officer_a, people.team_a, "partner"
    )
    assert response.status_code == 422
    assert not Membership.objects.filter(user=people.officer_a, role="partner").exists()
