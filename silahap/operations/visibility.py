"""Who sees which operation and standing team (issue 16 §5–6): the per-object rules (for can
"read") and the pieces they share with the queries.

The queries are the models' visible_to (models/operations.py, models/teams.py), which need the
membership models; they encode the same thing as the rules here and are held to the same answer
by tests/test_read_rules_agree.py.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from silahap.accounts import access
from silahap.accounts.models import Membership


def partner_in_force(user) -> bool:
    return any(m.role == Membership.Role.PARTNER for m in access.current_memberships(user))


def open_q(now: datetime.datetime) -> Q:
    # A national operation is confidential until its start for everyone below the leaders.
    return ~Q(kind="national") | Q(starts_at__lte=now)


def may_read_operation(user, operation, now: datetime.datetime | None = None) -> bool:
    if user.is_superuser:
        return True
    now = now or timezone.now()
    is_open = operation.kind != "national" or operation.starts_at <= now
    is_member = operation.members.filter(user=user).exists()
    if access.is_partner(user):
        return partner_in_force(user) and is_member and is_open
    if not access.is_immigration_staff(user):
        return False
    if access.supervises(user, operation.unit):
        return True
    if operation.parent_id is None and any(
        access.supervises(user, child.unit) for child in operation.children.all()
    ):
        return True
    return is_member and is_open


def may_read_team(user, team) -> bool:
    if user.is_superuser:
        return True
    is_member = team.members.filter(user=user).exists()
    if access.is_partner(user):
        return partner_in_force(user) and is_member
    if not access.is_immigration_staff(user):
        return False
    return is_member or access.supervises(user, team.unit)
