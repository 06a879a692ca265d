"""Who may evaluate what (DESIGN.md §3): officers themselves, leaders their subtree, analysts
their region or the whole country, partners and administrators nothing. A unit or officer
outside the viewer's scope answers 404, exactly as one that does not exist."""

from __future__ import annotations

import datetime
import zoneinfo

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.insights.queries import Rows

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def scopes(user) -> list[OrgUnit]:
    """The subtrees a user evaluates: where they lead or analyse; nothing for partners."""
    if not access.is_immigration_staff(user):
        return []
    return access.supervised_units(user)


def may_see_own(user) -> bool:
    return access.is_immigration_staff(user) and bool(
        access.roles_of(user) & {Membership.Role.OFFICER, Membership.Role.LEADER}
    )


def units_in_scope(user):
    """OrgUnits the user may open an evaluation of, as a queryset."""
    query = Q(pk__in=[])
    for unit in scopes(user):
        query |= Q(path__startswith=unit.path)
    return OrgUnit.objects.visible_to(user).filter(query)


def unit_or_404(user, unit_id: int) -> OrgUnit:
    if not scopes(user):
        raise Http404
    return get_object_or_404(units_in_scope(user).select_related("office"), pk=unit_id)


def officer_or_404(user, officer_id: int) -> User:
    """The officer, if it is the user or has been a member inside the user's scope."""
    if officer_id == user.pk and may_see_own(user):
        return user
    units = scopes(user)
    if not units:
        raise Http404
    members = (
        Membership.objects.filter(access.subtree_q(units))
        .filter(role__in=[Membership.Role.OFFICER, Membership.Role.LEADER])
        .values("user_id")
    )
    return get_object_or_404(User.objects.filter(pk__in=members), pk=officer_id)


def officer_rows(user, officer: User) -> Rows:
    """Their own days for the officer; for a supervisor only the days inside their scope."""
    if officer.pk == user.pk:
        return Rows(paths=("/",), officer_ids=(officer.pk,))
    return Rows(paths=tuple(unit.path for unit in scopes(user)), officer_ids=(officer.pk,))


def today_for(unit: OrgUnit | None) -> datetime.date:
    """Today in the unit's office zone (WIB above the offices): what "this month" means."""
    if unit is not None and unit.office_id and unit.office is not None:
        return timezone.localdate(timezone=unit.office.zone)
    if unit is not None and unit.kind == OrgUnit.Kind.IMMIGRATION_OFFICE:
        return timezone.localdate(timezone=unit.zone)
    return timezone.localdate(timezone=JAKARTA)


def home_unit(user) -> OrgUnit | None:
    units = sorted(scopes(user), key=lambda unit: (unit.depth, unit.path))
    return units[0] if units else None


def officer_unit(user) -> OrgUnit | None:
    for membership in access.current_memberships(user):
        if membership.role in (Membership.Role.OFFICER, Membership.Role.LEADER):
            return membership.unit
    return None


def breadcrumb(user, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors the user may open, top first (one query)."""
    ids = unit.ancestor_ids()[:-1]
    found = {u.pk: u for u in units_in_scope(user).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def children(unit: OrgUnit) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(parent=unit, is_active=True).order_by("name"))
