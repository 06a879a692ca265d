"""Every write to units, users and memberships: keyword-only, one transaction, one audit event."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from silahap.accounts import access, rules
from silahap.accounts.models import Membership, OrgUnit, User, password_mark_of
from silahap.audit import services as audit
from silahap.changes import unit_changed
from silahap.events import spine
from silahap.events.types import EventType

KIND_ORDER = [kind.value for kind in OrgUnit.Kind]


def _require_admin_over(by: User | None, unit: OrgUnit | None) -> None:
    """System setup (by=None, e.g. a management command) or an administrator above the unit."""
    if by is None or by.is_superuser:
        return
    if unit is None or not any(
        unit.is_within(scope) for scope in access.units_with_role(by, [Membership.Role.ADMIN])
    ):
        raise PermissionDenied("only an administrator of this unit may change it")


@transaction.atomic
def orgunit_create(
    *,
    by: User | None,
    kind: str,
    code: str,
    name: str,
    parent: OrgUnit | None = None,
    office_class: str = "",
    is_tpi: bool | None = None,
    timezone_name: str = "",
    report_deadline: datetime.time | None = None,
    work_area_codes: list[str] | None = None,
) -> OrgUnit:
    """Add a unit below `parent`, placing it in the tree and inheriting its office's zone."""
    _require_admin_over(by, parent)
    if parent is not None and KIND_ORDER.index(kind) <= KIND_ORDER.index(parent.kind):
        raise ValidationError(
            {
                "kind": _("A %(kind)s cannot sit below a %(parent)s.")
                % {"kind": kind, "parent": parent.kind}
            }
        )
    if kind == OrgUnit.Kind.IMMIGRATION_OFFICE:
        timezone_name = timezone_name or OrgUnit.TimeZone.WIB
        report_deadline = report_deadline or datetime.time(20, 0)
        office_class = office_class or OrgUnit.OfficeClass.I
    elif parent is not None and parent.office is not None:
        timezone_name = parent.office.timezone
    unit = OrgUnit(
        parent=parent,
        kind=kind,
        code=code,
        name=name,
        path=f"pending-{uuid.uuid4().hex}",
        depth=0 if parent is None else parent.depth + 1,
        office_class=office_class,
        is_tpi=is_tpi,
        timezone=timezone_name or OrgUnit.TimeZone.WIB,
        report_deadline=report_deadline,
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    if kind == OrgUnit.Kind.IMMIGRATION_OFFICE:
        unit.office = unit
    elif parent is not None:
        unit.office_id = parent.office_id
    unit.save(update_fields=["path", "office"])
    if work_area_codes:
        unit.work_area.set(work_area_codes)  # type: ignore[arg-type]  # regency keys (codes)
    audit.record(
        action="orgunit.create",
        actor=by,
        target=unit,
        summary={
            "code": code,
            "name": name,
            "kind": kind,
            "parent": parent.code if parent else None,
        },
    )
    return unit


@transaction.atomic
def user_create(
    *,
    by: User | None,
    username: str,
    full_name: str,
    password: str | None,
    nip: str = "",
    rank: str = "",
    position: str = "",
    phone: str = "",
    email: str = "",
    agency: str = "",
    account_expires_on: datetime.date | None = None,
) -> User:
    """Create an account; a partner-agency member's account must have an expiry date."""
    if by is not None and not by.is_superuser and not access.units_with_role(by, ["admin"]):
        raise PermissionDenied("only an administrator may create accounts")
    user = User(
        username=username,
        full_name=full_name,
        nip=nip,
        rank=rank,
        position=position,
        phone=phone,
        email=email,
        agency=agency,
        account_expires_on=account_expires_on,
    )
    if agency and account_expires_on is None:
        raise ValidationError(
            {"account_expires_on": _("A partner-agency account needs an expiry date.")}
        )
    _remember_email_setter(by, user)
    if password:
        validate_password(password, user)
        user.set_password(password)
        user.password_mark = _mark_for(by, user)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        action="user.create",
        actor=by,
        target=user,
        summary={"username": username, "agency": agency or "immigration"},
    )
    return user


@transaction.atomic
def membership_create(
    *,
    by: User | None,
    user: User,
    unit: OrgUnit,
    role: str,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    is_acting: bool = False,
) -> Membership:
    """Give a user a role in a unit from a date (a transfer or an acting appointment)."""
    _require_admin_over(by, unit)
    # The rules read the account as stored (who set its password or typed its email), locked,
    # never the caller's copy, which may predate a change made through another instance.
    stored = User.objects.select_for_update().get(pk=user.pk)
    _require_grant(by=by, user=stored, unit=unit, role=role)
    check_role_fits(user=stored, role=role)
    membership = Membership(
        user=user,
        unit=unit,
        role=role,
        start_date=start_date or timezone.localdate(),
        end_date=end_date,
        is_acting=is_acting,
    )
    membership.full_clean()
    membership.save()
    access.forget_memberships(user)
    unit_changed(unit.path)  # who is in the unit (the live board's officers)
    event = audit.record(
        action="membership.create",
        actor=by,
        target=membership,
        summary={"user": user.username, "unit": unit.code, "role": role, "acting": is_acting},
    )
    _notify_if_access_grows(by=by, membership=membership, event=event)
    return membership


@transaction.atomic
def membership_update(
    *,
    by: User | None,
    membership: Membership,
    unit: OrgUnit,
    role: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    is_acting: bool = False,
) -> Membership:
    """Change a membership's unit, role or dates; checked like a new grant."""
    membership = (
        Membership.objects.select_for_update().select_related("unit", "user").get(pk=membership.pk)
    )
    _require_admin_over(by, membership.unit)
    _require_admin_over(by, unit)
    _require_grant(by=by, user=membership.user, unit=unit, role=role, membership=membership)
    check_role_fits(user=membership.user, role=role)
    before = {
        "unit": membership.unit.code,
        "role": membership.role,
        "start_date": membership.start_date.isoformat(),
        "end_date": membership.end_date.isoformat() if membership.end_date else None,
        "acting": membership.is_acting,
    }
    unit_changed(membership.unit.path, unit.path)
    membership.unit = unit
    membership.role = role
    membership.start_date = start_date
    membership.end_date = end_date
    membership.is_acting = is_acting
    membership.full_clean()
    membership.save()
    access.forget_memberships(membership.user)
    after = {
        "unit": unit.code,
        "role": role,
        "start_date": start_date.isoformat(),
        "end_date": end_date.isoformat() if end_date else None,
        "acting": is_acting,
    }
    event = audit.record(
        action="membership.update",
        actor=by,
        target=membership,
        summary={
            "user": membership.user.username,
            "before": before,
            "changed": {key: value for key, value in after.items() if before[key] != value},
        },
    )
    _notify_if_access_grows(by=by, membership=membership, event=event)
    return membership


def _require_grant(
    *, by: User | None, user: User, unit: OrgUnit, role: str, membership: Membership | None = None
) -> None:
    reason = rules.grant_refusal(by=by, user=user, unit=unit, role=role, membership=membership)
    if reason:
        raise PermissionDenied(reason)


def check_role_fits(*, user: User, role: str) -> None:
    """Partner-agency members take the partner role, and only they do."""
    if role == Membership.Role.PARTNER and not user.agency:
        raise ValidationError({"role": _("Only partner-agency members take the partner role.")})
    if user.agency and role != Membership.Role.PARTNER:
        raise ValidationError(
            {"role": _("A partner-agency member can only take the partner role.")}
        )


def _notify_if_access_grows(*, by: User | None, membership: Membership, event) -> None:
    """A role above officer, or any role for an administrator, is told to the person and to the
    office's leaders once committed, so a grant between two administrators never goes unseen."""
    if by is None:
        return
    user = membership.user
    if membership.role in rules.ABOVE_OFFICER or access.units_with_role(
        user, [Membership.Role.ADMIN]
    ):
        spine.record(
            type=EventType.MEMBERSHIP_GRANTED,
            object_type="accounts.membership",
            object_id=membership.pk,
            actor_id=by.pk,
            unit_path=membership.unit.path,
            payload={"audit_event": event.pk},
        )


def _remember_email_setter(by: User | None, user: User) -> None:
    """Note the office administrator who typed the email (reset links go there)."""
    if by is None or by.is_superuser or not user.email:
        user.email_set_by, user.email_mark = None, ""
    else:
        user.email_set_by, user.email_mark = by, password_mark_of(f"email:{user.email}")


def _mark_for(by: User | None, user: User) -> str:
    """The password mark when an office administrator (not setup, not a superuser) chose it."""
    if by is None or by.is_superuser:
        return ""
    return password_mark_of(user.password)


IDENTITY_FIELDS = (
    "username",
    "full_name",
    "nip",
    "rank",
    "position",
    "phone",
    "email",
    "agency",
    "account_expires_on",
    "is_active",
)


@transaction.atomic
def user_update(*, by: User | None, user: User, **changes) -> User:
    """Change an account's identity fields; an office administrator never touches how someone
    above officer signs in, nor re-enables an account they could not set the password of."""
    unknown = sorted(set(changes) - set(IDENTITY_FIELDS))
    if unknown:
        raise PermissionDenied(f"fields not changed here: {unknown}")
    user = User.objects.select_for_update().get(pk=user.pk)
    changes = {name: value for name, value in changes.items() if getattr(user, name) != value}
    if by is not None and not by.is_superuser:
        access.require(by, "change", user)
        if rules.holds_role_above_officer(user) and set(changes) & set(rules.PROTECTED_FIELDS):
            raise PermissionDenied(
                _(
                    "Only a superuser changes the sign-in details of a leader, an analyst or an "
                    "administrator."
                )
            )
        if changes.get("is_active") and not access.can(by, "set_password", user):
            raise PermissionDenied(_("Only a superuser re-enables this account."))
    if not changes:
        return user
    for name, value in changes.items():
        setattr(user, name, value)
    if "email" in changes:
        _remember_email_setter(by, user)
        changes.update(email_set_by=user.email_set_by, email_mark=user.email_mark)
    if user.agency and user.account_expires_on is None:
        raise ValidationError(
            {"account_expires_on": _("A partner-agency account needs an expiry date.")}
        )
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(changes))
    # A name or an account switched off changes the rows of the units the person works in.
    unit_changed(*(membership.unit.path for membership in access.current_memberships(user)))
    audit.record(
        action="user.update",
        actor=by,
        target=user,
        summary={"fields": sorted(changes)},
    )
    return user


@transaction.atomic
def user_password_set(*, by: User | None, user: User, password: str | None) -> User:
    """Set (or disable, with None) an account's password: never for anyone above officer unless
    by a superuser, so an administrator cannot sign in as someone who reads reports."""
    if by is not None:
        access.require(by, "set_password", user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if password:
        validate_password(password, user)
        user.set_password(password)
        user.password_mark = _mark_for(by, user)
    else:
        user.set_unusable_password()
        user.password_mark = ""
    user.save(update_fields=["password", "password_mark"])
    audit.record(
        action="user.password_set",
        actor=by,
        target=user,
        summary={"usable": bool(password)},
    )
    return user


@transaction.atomic
def user_password_reset_send(*, by: User | None, user: User) -> User:
    """Mail the person a one-time link to choose their own password (Django's reset tokens)."""
    if by is not None:
        access.require(by, "send_password_reset", user)
    if not user.email:
        raise ValidationError(
            _(
                "%(user)s has no email address: a superuser must set the password, or add the "
                "address first."
            )
            % {"user": user}
        )
    if not user.is_active:
        raise ValidationError(_("This account is disabled."))
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "accounts/password_reset_email.txt",
            {"user": user, "url": settings.SILAHAP_SITE_URL.rstrip("/") + path},
        )
        subject = _("SiLAHAP: choose your password")
    email = user.email
    # robust: a mail server outage is logged, and the link can be sent again.
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]), robust=True)
    audit.record(action="user.password_reset_send", actor=by, target=user, summary={})
    return user


@transaction.atomic
def membership_end(
    *, by: User | None, membership: Membership, end_date: datetime.date
) -> Membership:
    """End a membership on a date (a transfer out, or the end of an acting appointment)."""
    _require_admin_over(by, membership.unit)
    if end_date < membership.start_date:
        raise ValidationError({"end_date": _("A membership cannot end before it starts.")})
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    access.forget_memberships(membership.user)
    unit_changed(membership.unit.path)
    audit.record(
        action="membership.end",
        actor=by,
        target=membership,
        summary={"end_date": end_date.isoformat()},
    )
    return membership
