"""membership_update and the admin's membership change form: a change is checked like a grant."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from silahap.accounts import services
from silahap.accounts.models import Membership
from silahap.reports.models import DailyReport


def change_url(membership):
    return f"/admin/accounts/membership/{membership.pk}/change/"


def form(membership, **values):
    data = {
        "unit": membership.unit_id,
        "role": membership.role,
        "start_date": membership.start_date.isoformat(),
        "end_date": membership.end_date.isoformat() if membership.end_date else "",
    }
    data.update(values)
    return data


@pytest.mark.django_db
def test_administrator_cannot_turn_its_own_membership_into_leader(client, people):
    own = Membership.objects.get(user=people.office_admin, role="admin")
    client.force_login(people.office_admin)
    response = client.post(change_url(own), form(own, role="leader"))
    assert response.status_code == 422
    own.refresh_from_db()
    assert own.role == "admin"
    assert not DailyReport.objects.visible_to(people.office_admin).exists()


@pytest.mark.django_db
def test_administrator_cannot_move_an_officer_to_another_office(client, people):
    membership = Membership.objects.get(user=people.officer_a)
    client.force_login(people.office_admin)
    response = client.post(
        change_url(membership), form(membership, unit=people.section_b.pk, role="leader")
    )
    assert response.status_code == 422
    membership.refresh_from_db()
    assert (membership.unit, membership.role) == (people.team_a, "officer")


@pytest.mark.django_db
def test_administrator_cannot_change_another_offices_membership(client, people):
    membership = Membership.objects.get(user=people.officer_b)
    client.force_login(people.office_admin)
    response = client.post(change_url(membership), form(membership, role="leader"))
    assert response.status_code == 302  # Django's admin sends a missing object to the list
    membership.refresh_from_db()
    assert membership.role == "officer"


@pytest.mark.django_db
def test_administrator_promotes_an_officer_within_its_office(client, people):
    membership = Membership.objects.get(user=people.officer_a)
    client.force_login(people.office_admin)
    response = client.post(change_url(membership), form(membership, role="leader"))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "leader"


@pytest.mark.django_db
def test_the_service_refuses_reopening_another_offices_ended_membership(people):
    membership = Membership.objects.get(user=people.leader_b)
    with pytest.raises(PermissionDenied):
        services.membership_update(
            by=people.office_admin,
            membership=membership,
            unit=membership.unit,
            role="leader",
            start_date=membership.start_date,
            end_date=datetime.date(2099, 1, 1),
        )


@pytest.mark.django_db
def test_the_service_refuses_extending_its_own_membership(people):
    own = Membership.objects.get(user=people.office_admin, role="admin")
    with translation.override("en"), pytest.raises(PermissionDenied, match="another administrator"):
        services.membership_update(
            by=people.office_admin,
            membership=own,
            unit=own.unit,
            role="admin",
            start_date=own.start_date,
            end_date=datetime.date(2099, 1, 1),
        )
