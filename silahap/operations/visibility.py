"""Who sees which operation and standing team (issue 16 §5–6), as a query and as a rule.

The query (for visible_to) and the per-object rule (for can "read") encode the same thing and are
held to the same answer by tests/test_read_rules_agree.py.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from silahap.accounts import access
from silahap.accounts.models import Membership


def _partner_in_force(user) -> bool:
    return any(m.role == Membership.Role.PARTNER for m in access.current_memberships(user))


def _open_q(now: datetime.datetime) -> Q:
    # A national operation is confidential until its start for everyone below the leaders.
    return ~Q(kind="national") | Q(starts_at__lte=now)


def operation_q(user, now: datetime.datetime | None = None) -> Q:
    from silahap.operations.models import Operation, OperationMember

    nothing = Q(pk__in=[])
    if user is None or not user.is_authenticated or not user.is_active:
        return nothing
    if user.is_superuser:
        return Q()
    now = now or timezone.now()
    member = Q(pk__in=OperationMember.objects.filter(user=user).values("operation_id"))
    if access.is_partner(user):
        return member & _open_q(now) if _partner_in_force(user) else nothing
    if not access.is_immigration_staff(user):
        return nothing
    supervised = access.supervised_units(user)
    query = member & _open_q(now)
    if supervised:
        below = access.subtree_q(supervised)
        query |= below
        # The national operation above an office's child: its leaders plan under it.
        query |= Q(pk__in=Operation.objects.filter(below, parent__isnull=False).values("parent_id"))
    return query


def may_read_operation(user, operation, now: datetime.datetime | None = None) -> bool:
    if user.is_superuser:
        return True
    now = now or timezone.now()
    is_open = operation.kind != "national" or operation.starts_at <= now
    is_member = operation.members.filter(user=user).exists()
    if access.is_partner(user):
        return _partner_in_force(user) and is_member and is_open
    if not access.is_immigration_staff(user):
        return False
    if access.supervises(user, operation.unit):
        return True
    if operation.parent_id is None and any(
        access.supervises(user, child.unit) for child in operation.children.all()
    ):
        return True
    return is_member and is_open


def team_q(user) -> Q:
    from silahap.operations.models import TeamMember

    nothing = Q(pk__in=[])
    if user is None or not user.is_authenticated or not user.is_active:
        return nothing
    if user.is_superuser:
        return Q()
    member = Q(pk__in=TeamMember.objects.filter(user=user).values("team_id"))
    if access.is_partner(user):
        return member if _partner_in_force(user) else nothing
    if not access.is_immigration_staff(user):
        return nothing
    return member | access.subtree_q(access.supervised_units(user))


def may_read_team(user, team) -> bool:
    if user.is_superuser:
        return True
    is_member = team.members.filter(user=user).exists()
    if access.is_partner(user):
        return _partner_in_force(user) and is_member
    if not access.is_immigration_staff(user):
        return False
    return is_member or access.supervises(user, team.unit)
