"""Passwords: at least 12 characters and Django's validators, enforced by user_create."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from silahap.accounts import services as accounts
from silahap.accounts.models import User


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    ["Pendek-1a", "password1234", "123456789012345", "budi_santoso_1"],
    ids=["short", "common", "numeric", "like-the-username"],
)
def test_user_create_refuses_a_weak_password(password):
    with pytest.raises(ValidationError):
        accounts.user_create(
            by=None, username="budi_santoso", full_name="Budi Santoso", password=password
        )
    assert not User.objects.filter(username="budi_santoso").exists()


@pytest.mark.django_db
def test_user_create_accepts_a_long_uncommon_password():
    user = accounts.user_create(
        by=None, username="budi_santoso", full_name="Budi Santoso", password="Gunung-Rinjani-3726"
    )
    assert user.check_password("Gunung-Rinjani-3726")
