"""Who must pass a second factor, and the reads around it (django-otp's TOTP and static devices).

The setting is read on every call, not at import, so override_settings works in tests.
"""

from __future__ import annotations

import base64
import binascii

import segno
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from silahap.accounts import access
from silahap.accounts.models import Membership, User

RECOVERY_CODE_COUNT = 10
# The enrolment's secret waits here until its first code confirms it: a device row is written
# only once it works, so an abandoned enrolment leaves nothing behind.
PENDING_KEY_SESSION = "silahap_otp_pending_key"
# New recovery codes travel from the POST that made them to the one page that shows them once.
NEW_CODES_SESSION = "silahap_otp_new_codes"
# Whether the account had an authenticator when this session began (set at login, and by the
# enrolment): each request then decides what it owes without a query.
ENROLLED_SESSION = "silahap_otp_enrolled"
_DEVICE_CACHE = "_silahap_totp_device"


def enabled() -> bool:
    """An empty SILAHAP_SECOND_FACTOR_ROLES turns the second factor off (the demo, the suite)."""
    return bool(settings.SILAHAP_SECOND_FACTOR_ROLES)


def role_requires(user) -> bool:
    """Whether the user's current roles (acting included) or superuser status demand a code."""
    if not enabled() or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(access.roles_of(user) & set(settings.SILAHAP_SECOND_FACTOR_ROLES))


def totp_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, fetched once per request-bound user object."""
    if not user.is_authenticated:
        return None
    if _DEVICE_CACHE not in user.__dict__:
        user.__dict__[_DEVICE_CACHE] = (
            TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-pk").first()
        )
    return user.__dict__[_DEVICE_CACHE]


def forget_device(user) -> None:
    user.__dict__.pop(_DEVICE_CACHE, None)


def is_verified(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def needs_code(user, session=None) -> bool:
    """True while a signed-in session still owes its second factor: its user's role demands one,
    or they enrolled one themselves, and this session has not yet passed it."""
    if not enabled() or not user.is_authenticated or is_verified(user):
        return False
    return role_requires(user) or enrolled(user, session)


def enrolled(user, session=None) -> bool:
    if session is not None and ENROLLED_SESSION in session:
        return session[ENROLLED_SESSION]
    return totp_device(user) is not None


def remember_enrolment(session, user) -> None:
    session[ENROLLED_SESSION] = totp_device(user) is not None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def new_secret() -> str:
    return random_hex(20)


def valid_secret(key: str) -> bool:
    try:
        return len(binascii.unhexlify(key)) == 20
    except (binascii.Error, ValueError, TypeError):
        return False


def pending_device(user, key: str) -> TOTPDevice:
    """An unsaved device around an enrolment's secret, for its QR code and its code check."""
    return TOTPDevice(user=user, key=key, name="authenticator", confirmed=False)


def secret_for_typing(key: str) -> str:
    """The secret as authenticator apps take it by hand: base32, in groups of four."""
    text = base64.b32encode(binascii.unhexlify(key)).decode("ascii")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The enrolment QR code as an SVG data: URI (the CSP's img-src allows data:)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def normalise_code(raw: str) -> str:
    """Codes are typed with spaces or dashes, recovery codes in either case."""
    return "".join(raw.split()).replace("-", "").lower()


def may_reset(by, user: User) -> bool:
    """A superuser, or an administrator of a unit where the user is currently a member."""
    if by is None or not by.is_authenticated or not by.is_active:
        return False
    if by.is_superuser:
        return True
    scopes = access.administered_units(by)
    if not scopes:
        return False
    return any(
        membership.unit.is_within(scope)
        for membership in access.current_memberships(user)
        for scope in scopes
    )


access.rule(User, "otp_device_reset")(may_reset)


def users_for_reset(by) -> QuerySet[User]:
    """Accounts an administrator may reset, each marked with whether it has an authenticator."""
    queryset = User.objects.visible_to(by)
    if not by.is_superuser:
        members = (
            Membership.objects.current()
            .filter(access.subtree_q(access.administered_units(by)))
            .values("user_id")
        )
        queryset = queryset.filter(pk__in=members)
    confirmed = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
    return queryset.annotate(has_authenticator=Exists(confirmed)).order_by("full_name", "pk")
