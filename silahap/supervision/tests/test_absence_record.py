"""absence_record and the admin's absence form: an administrator records absences only for the
people of their own office, whose missing-report counts are theirs to keep."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from silahap.accounts import services as accounts
from silahap.supervision import services
from silahap.supervision.models import Absence

DAY = datetime.date(2025, 4, 8)
ADD_URL = "/admin/supervision/absence/add/"


def post_absence(client, admin, user):
    client.force_login(admin)
    return client.post(
        ADD_URL,
        {
            "user": user.pk,
            "kind": "leave",
            "start_date": DAY.isoformat(),
            "end_date": DAY.isoformat(),
            "note": "",
        },
    )


@pytest.mark.django_db
def test_the_admin_form_sent_twice_records_one_absence(client, people):
    client.force_login(people.office_admin)
    page = client.get(ADD_URL)
    key = page.context["adminform"].form.initial["idempotency_key"]
    data = {
        "user": people.officer_a.pk,
        "kind": "leave",
        "start_date": DAY.isoformat(),
        "end_date": DAY.isoformat(),
        "note": "",
        "idempotency_key": str(key),
    }
    first, second = client.post(ADD_URL, data), client.post(ADD_URL, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert Absence.objects.filter(user=people.officer_a).count() == 1
    assert Absence.objects.get(user=people.officer_a).client_id == key


@pytest.mark.django_db
def test_administrator_cannot_record_an_absence_for_another_offices_officer(client, people):
    response = post_absence(client, people.office_admin, people.officer_b)
    assert response.status_code == 422
    assert not Absence.objects.filter(user=people.officer_b).exists()


@pytest.mark.django_db
def test_the_service_refuses_another_offices_officer(people):
    with pytest.raises(PermissionDenied):
        services.absence_record(
            by=people.office_admin, user=people.officer_b, kind="sick", start_date=DAY, end_date=DAY
        )


@pytest.mark.django_db
def test_the_service_refuses_someone_who_is_also_a_member_in_another_office(people):
    accounts.membership_create(
        by=None, user=people.officer_a2, unit=people.section_b, role="officer"
    )
    with pytest.raises(PermissionDenied):
        services.absence_record(
            by=people.office_admin,
            user=people.officer_a2,
            kind="sick",
            start_date=DAY,
            end_date=DAY,
        )


@pytest.mark.django_db
def test_administrator_records_an_absence_for_its_officer_through_the_service(client, people):
    response = post_absence(client, people.office_admin, people.officer_a)
    assert response.status_code == 302
    absence = Absence.objects.get(user=people.officer_a)
    assert absence.recorded_by == people.office_admin


@pytest.mark.django_db
def test_administrator_cannot_record_its_own_absence(client, people):
    assert post_absence(client, people.office_admin, people.office_admin).status_code == 403
    assert not Absence.objects.exists()


@pytest.mark.django_db
def test_a_recorded_absence_cannot_be_moved_to_another_person(client, people):
    absence = services.absence_record(
        by=people.office_admin, user=people.officer_a, kind="sick", start_date=DAY, end_date=DAY
    )
    client.force_login(people.office_admin)
    response = client.post(
        f"/admin/supervision/absence/{absence.pk}/change/",
        {"user": people.officer_b.pk, "kind": "sick", "start_date": DAY, "end_date": DAY},
    )
    assert response.status_code == 403
    absence.refresh_from_db()
    assert absence.user == people.officer_a
