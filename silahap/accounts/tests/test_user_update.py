"""user_update and the admin's user change form: an office administrator edits the people of
their office, but never how someone above officer signs in, nor superuser or staff flags."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from silahap.accounts import services
from silahap.accounts.models import User


def change_url(user):
    return f"/admin/accounts/user/{user.pk}/change/"


def form(user, **values):
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "nip": user.nip,
        "rank": user.rank,
        "position": user.position,
        "phone": user.phone,
        "email": user.email,
        "agency": user.agency,
        "account_expires_on": user.account_expires_on or "",
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(values)
    return data


@pytest.mark.django_db
def test_administrator_cannot_redirect_the_head_of_offices_email(client, people):
    client.force_login(people.office_admin)
    response = client.post(
        change_url(people.head_a), form(people.head_a, email="admin.tng@example.org", phone="0812")
    )
    assert response.status_code == 302
    head = User.objects.get(pk=people.head_a.pk)
    assert head.email == ""
    assert head.phone == "0812"  # identity details stay the administrator's to keep current


@pytest.mark.django_db
def test_superuser_and_staff_flags_are_never_taken_from_the_form(client, people):
    client.force_login(people.office_admin)
    response = client.post(
        change_url(people.officer_a),
        form(people.officer_a, is_superuser="on", is_staff="on", user_permissions="1", groups="1"),
    )
    assert response.status_code == 302
    officer = User.objects.get(pk=people.officer_a.pk)
    assert not officer.is_superuser
    assert not officer.is_staff


@pytest.mark.django_db
def test_administrator_cannot_re_enable_a_disabled_leader(client, people):
    User.objects.filter(pk=people.leader_a.pk).update(is_active=False)
    people.leader_a.refresh_from_db()
    client.force_login(people.office_admin)
    client.post(change_url(people.leader_a), form(people.leader_a, is_active="on"))
    assert not User.objects.get(pk=people.leader_a.pk).is_active
    with pytest.raises(PermissionDenied):
        services.user_update(by=people.office_admin, user=people.leader_a, is_active=True)


@pytest.mark.django_db
def test_administrator_re_enables_a_disabled_officer(client, people):
    User.objects.filter(pk=people.officer_a.pk).update(is_active=False)
    people.officer_a.refresh_from_db()
    client.force_login(people.office_admin)
    response = client.post(change_url(people.officer_a), form(people.officer_a, is_active="on"))
    assert response.status_code == 302
    assert User.objects.get(pk=people.officer_a.pk).is_active


@pytest.mark.django_db
def test_another_offices_officer_cannot_be_changed(client, people):
    client.force_login(people.office_admin)
    response = client.post(change_url(people.officer_b), form(people.officer_b, email="x@y.org"))
    assert response.status_code == 302  # Django's admin sends a missing object to the list
    assert User.objects.get(pk=people.officer_b.pk).email == ""
    with pytest.raises(PermissionDenied):
        services.user_update(by=people.office_admin, user=people.officer_b, email="x@y.org")


@pytest.mark.django_db
def test_the_service_never_sets_superuser_flags(people):
    with pytest.raises(PermissionDenied):
        services.user_update(by=people.office_admin, user=people.officer_a, is_superuser=True)


@pytest.mark.django_db
def test_an_account_created_in_the_admin_is_made_by_the_service(client, people):
    client.force_login(people.office_admin)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "petugas.baru",
            "full_name": "Petugas Baru",
            "password1": "Sandi-Petugas-Baru-2026",
            "password2": "Sandi-Petugas-Baru-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="petugas.baru")
    assert created.password_known_to_administrator()
    assert not created.is_superuser
    assert not created.is_staff
