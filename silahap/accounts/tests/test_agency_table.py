"""Partner agencies are a reference table (issue 16): seeded from the old fixed choices,
extendable by a national administrator, and an account's agency must be one of its rows."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from silahap.accounts import services as accounts
from silahap.accounts.admin import is_national_admin
from silahap.accounts.models import Agency, Membership
from silahap.testing.personas import SINCE

pytestmark = pytest.mark.django_db

OLD_CHOICES = {"polri", "tni", "satpol_pp", "disnaker", "bnn", "kejaksaan", "pemda", "other"}


def test_the_migration_keeps_every_old_choice_and_adds_the_timpora_members(people):
    codes = set(Agency.objects.values_list("code", flat=True))
    assert codes >= OLD_CHOICES
    assert {"kesbangpol", "dukcapil", "kecamatan"} <= codes


def test_an_account_with_an_unknown_agency_is_refused(people):
    with pytest.raises(ValidationError) as error:
        accounts.user_create(
            by=None,
            username="mitra_x",
            full_name="Mitra X",
            password=None,
            agency="interpol",
            account_expires_on=datetime.date(2099, 1, 1),
        )
    assert "agency" in error.value.message_dict


def test_an_agency_added_to_the_table_can_hold_accounts(people):
    Agency.objects.create(code="bea_cukai", short_name="Bea Cukai", name="Bea dan Cukai")
    user = accounts.user_create(
        by=None,
        username="mitra_bc",
        full_name="Mitra BC",
        password=None,
        agency="bea_cukai",
        account_expires_on=datetime.date(2099, 1, 1),
    )
    assert user.is_partner


def test_only_a_national_administrator_extends_the_table(client, people):
    assert not is_national_admin(people.office_admin)
    client.force_login(people.office_admin)
    assert client.get("/admin/accounts/agency/").status_code == 200
    assert client.get("/admin/accounts/agency/add/").status_code == 403
    national = accounts.user_create(by=None, username="admin_pusat", full_name="A", password=None)
    accounts.membership_create(
        by=None, user=national, unit=people.dg, role=Membership.Role.ADMIN, start_date=SINCE
    )
    assert is_national_admin(national)
    client.force_login(national)
    response = client.post(
        "/admin/accounts/agency/add/",
        {
            "code": "bakamla",
            "short_name": "Bakamla",
            "name": "Badan Keamanan Laut",
            "position": 50,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Agency.objects.filter(code="bakamla").exists()
