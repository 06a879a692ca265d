"""Every write to units, users and memberships: keyword-only, one transaction, one audit event."""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.audit import services as audit

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
    elif parent is not None and parent.office_id is not None:
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
        unit.work_area.set(work_area_codes)
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
    if password:
        validate_password(password, user)
        user.set_password(password)
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
    if role == Membership.Role.PARTNER and not user.agency:
        raise ValidationError({"role": _("Only partner-agency members take the partner role.")})
    if user.agency and role != Membership.Role.PARTNER:
        raise ValidationError(
            {"role": _("A partner-agency member can only take the partner role.")}
        )
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
    audit.record(
        action="membership.create",
        actor=by,
        target=membership,
        summary={"user": user.username, "unit": unit.code, "role": role, "acting": is_acting},
    )
    return membership


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
    audit.record(
        action="membership.end",
        actor=by,
        target=membership,
        summary={"end_date": end_date.isoformat()},
    )
    return membership
