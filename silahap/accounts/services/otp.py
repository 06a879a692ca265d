"""Every write of the second factor: enrolment, recovery codes, code checks, resets.

Codes and secrets never reach an audit summary or a log line.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from silahap.accounts import access, otp
from silahap.accounts.models import User
from silahap.audit import services as audit


def _issue_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with a fresh set and return them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes: set[str] = set()
    while len(codes) < otp.RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        # Digits-only codes are taken for authenticator codes at the verify step.
        if not code.isdigit():
            codes.add(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


@transaction.atomic
def otp_device_confirm(
    *, by: User, key: str, code: str, session_verified: bool
) -> tuple[TOTPDevice, list[str]]:
    """Enrol an authenticator once its first code matches, replacing any earlier one, and issue
    fresh recovery codes; replacing needs a session that already passed the second factor."""
    had_device = TOTPDevice.objects.filter(user=by, confirmed=True).exists()
    if had_device and not session_verified:
        raise PermissionDenied("replacing an authenticator needs a verified session")
    if not otp.valid_secret(key):
        raise ValidationError({"code": _("The enrolment has expired. Start again.")})
    device = otp.pending_device(by, key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = time.time()
    if not code.isdigit() or not totp.verify(int(code), device.tolerance):
        raise ValidationError(
            {"code": _("That code does not match. Type the code the app shows now.")}
        )
    TOTPDevice.objects.filter(user=by).delete()
    # The confirming code is spent: the same code cannot also pass the next verify step.
    device.last_t = totp.t()
    device.drift = totp.drift
    device.confirmed = True
    device.save()
    codes = _issue_recovery_codes(by)
    otp.forget_device(by)
    audit.record(
        action="otp_device.confirm",
        actor=by,
        target=by,
        summary={"replaced": had_device, "recovery_codes": len(codes)},
    )
    return device, codes


@transaction.atomic
def otp_recovery_codes_regenerate(*, by: User) -> list[str]:
    """Replace the user's recovery codes with a new set; the old ones stop working at once."""
    if not TOTPDevice.objects.filter(user=by, confirmed=True).exists():
        raise ValidationError(_("Set up an authenticator app first."))
    codes = _issue_recovery_codes(by)
    audit.record(
        action="otp_recovery_codes.regenerate",
        actor=by,
        target=by,
        summary={"recovery_codes": len(codes)},
    )
    return codes


@dataclass(frozen=True)
class VerifyResult:
    device: Device | None
    locked_until: datetime.datetime | None = None


@transaction.atomic
def otp_token_verify(*, user: User, code: str) -> VerifyResult:
    """Check a code from the authenticator (digits) or a recovery code (letters, used up once
    accepted); each failure counts against that device's throttle and is audited like a failed
    login."""
    method = "totp" if code.isdigit() else "recovery"
    model = TOTPDevice if method == "totp" else StaticDevice
    device = (
        model.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
    )
    locked_until = None
    if device is None:
        verified, reason = False, "no_device"
    else:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            verified, reason = False, "throttled"
            locked_until = (details or {}).get("locked_until")
        else:
            verified = device.verify_token(code)
            reason = "" if verified else "wrong_code"
    summary = {"method": method}
    if not verified:
        summary["reason"] = reason
        if device is not None:
            summary["failures"] = device.throttling_failure_count
    audit.record(
        action="auth.second_factor" if verified else "auth.second_factor_failed",
        actor=user,
        target=user,
        summary=summary,
    )
    return VerifyResult(device=device if verified else None, locked_until=locked_until)


@transaction.atomic
def otp_device_reset(*, by: User, user: User) -> int:
    """Remove a user's authenticator and recovery codes (a lost phone) and end their sessions;
    they enrol again at their next login. Only a superuser or an administrator of one of the
    user's units may."""
    access.require(by, "otp_device_reset", user)
    totp_count, _details = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    otp.forget_device(user)
    # The lost phone may still be signed in: every session of the account ends.
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    audit.record(
        action="otp_device.reset",
        actor=by,
        target=user,
        summary={"username": user.get_username(), "had_authenticator": totp_count > 0},
    )
    return totp_count
