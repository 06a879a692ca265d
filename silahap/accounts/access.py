"""Who may see and do what (DESIGN.md §3), in one place.

Reads go through each model's `visible_to(user)`; actions through `can(user, action, obj)`,
which dispatches to the rules each app registers with `@rule(Model, "action")`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q
from django.utils import timezone

from silahap.accounts.models import Membership, OrgUnit, User
from silahap.statements import Statement

Role = Membership.Role
SUPERVISING_ROLES = (Role.LEADER, Role.ANALYST, Role.ADMIN)
STAFF_ROLES = (Role.OFFICER, Role.LEADER, Role.ANALYST, Role.ADMIN)

RuleFunction = Callable[[User, Any], bool]
_rules: dict[tuple[type[Model], str], RuleFunction] = {}
# A rule takes the model it is registered for, so its second parameter is typed as that model.
RuledModel = TypeVar("RuledModel", bound=Model)


# Read on every signed-in request (roles, scope): compiled once per connection
# (silahap/statements.py), it costs its query and not ~1 ms more of building and compiling it.
_MEMBERSHIPS = Statement(
    lambda user, on: (
        Membership.objects.current(on).filter(user_id=user).select_related("unit", "unit__office")
    ),
    Membership._meta.get_field("user"),
    Membership._meta.get_field("start_date"),
)


def current_memberships(user, on: datetime.date | None = None) -> list[Membership]:
    """The user's memberships in force today, fetched once per request-bound user object."""
    if user is None or not user.is_authenticated:
        return []
    on = on or timezone.localdate()
    cache = user.__dict__.setdefault("_silahap_memberships", {})
    if on not in cache:
        cache[on] = _MEMBERSHIPS.objects(Membership.objects.db, user.pk, on)
    return cache[on]


def nearest_leaders(unit: OrgUnit, on: datetime.date | None = None) -> list[User]:
    """The current leaders (acting included) of the closest unit at or above `unit` that has any."""
    memberships = list(
        Membership.objects.current(on)
        .filter(role=Membership.Role.LEADER, unit_id__in=unit.ancestor_ids())
        .select_related("user", "unit")
    )
    active = [m for m in memberships if m.user.is_active]
    if not active:
        return []
    depth = max(m.unit.depth for m in active)
    seen: dict[int, User] = {}
    for membership in active:
        if membership.unit.depth == depth:
            seen.setdefault(membership.user_id, membership.user)
    return list(seen.values())


def forget_memberships(user) -> None:
    user.__dict__.pop("_silahap_memberships", None)


def roles_of(user) -> set[str]:
    return {membership.role for membership in current_memberships(user)}


def units_with_role(user, roles: Iterable[str]) -> list[OrgUnit]:
    wanted = set(roles)
    return [m.unit for m in current_memberships(user) if m.role in wanted]


def is_immigration_staff(user) -> bool:
    """Immigration staff see the national registry; partner-agency members never do."""
    if not user.is_authenticated or user.agency:
        return False
    return user.is_superuser or bool(roles_of(user) & set(STAFF_ROLES))


def is_partner(user) -> bool:
    return user.is_authenticated and bool(user.agency)


def subtree_q(units: Iterable[OrgUnit], unit_field: str = "unit") -> Q:
    """Rows whose unit is one of `units` or below it; matches nothing when `units` is empty."""
    query = Q(pk__in=[])
    for unit in units:
        query |= Q(**{f"{unit_field}__path__startswith": unit.path})
    return query


def supervised_units(user) -> list[OrgUnit]:
    """Units whose reports and activities a leader or analyst may read (their subtrees).

    Administrators manage accounts and master data; they do not read reports (PDP minimisation).
    """
    return units_with_role(user, (Role.LEADER, Role.ANALYST))


def administered_units(user) -> list[OrgUnit]:
    return units_with_role(user, (Role.ADMIN,))


def leads(user, unit: OrgUnit) -> bool:
    """True when the user is a current leader (acting included) of `unit` or a unit above it."""
    return any(unit.is_within(leader_unit) for leader_unit in units_with_role(user, [Role.LEADER]))


def require_staff(user) -> None:
    """Raise PermissionDenied for anyone who is not immigration staff (partners, no membership)."""
    if not is_immigration_staff(user):
        raise PermissionDenied("immigration staff only")


def supervises(user, unit: OrgUnit) -> bool:
    return any(unit.is_within(scope) for scope in supervised_units(user))


def primary_role(user) -> str | None:
    """The role whose home page a user lands on."""
    roles = roles_of(user)
    for role in (Role.LEADER, Role.ANALYST, Role.ADMIN, Role.OFFICER, Role.PARTNER):
        if role in roles:
            return role
    return None


def rule(
    model: type[RuledModel], action: str
) -> Callable[[Callable[[User, RuledModel], bool]], Callable[[User, RuledModel], bool]]:
    def register(
        function: Callable[[User, RuledModel], bool],
    ) -> Callable[[User, RuledModel], bool]:
        _rules[(model, action)] = function
        return function

    return register


def can(user, action: str, obj: Model) -> bool:
    """Whether `user` may take `action` on `obj`; unknown pairs are denied."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    for klass in type(obj).__mro__:
        function = _rules.get((klass, action))
        if function is not None:
            return bool(function(user, obj))
    return False


def require(user, action: str, obj: Model) -> None:
    """Raise PermissionDenied unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied(f"{action} not allowed on {obj._meta.label_lower} {obj.pk}")
