"""What the second-factor tests share: the roles that must use it, a fixed moment, an
authenticator's code, enrolling through the service, and a password login."""

from __future__ import annotations

import binascii
import datetime

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from silahap.accounts import otp
from silahap.accounts.services.otp import otp_device_confirm
from silahap.testing.personas import PASSWORD

ROLES = ["leader", "analyst", "admin"]


MOMENT = datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)


def code_for(key: str, seconds_later: int = 0) -> str:
    """The code an authenticator app shows for `key` now (time-machine's now)."""
    totp = TOTP(binascii.unhexlify(key))
    totp.time += seconds_later
    return f"{totp.token():06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Give `user` a confirmed authenticator and recovery codes through the service."""
    key = otp.new_secret()
    return otp_device_confirm(by=user, key=key, code=code_for(key), session_verified=False)


def password_login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def english(client):
    client.cookies["silahap_language"] = "en"
    return client
