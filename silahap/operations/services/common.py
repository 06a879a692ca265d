"""What the operations services share: the spine record and the membership checks."""

from __future__ import annotations

from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.events import spine
from silahap.operations.models import Operation, Team


def record_event(type: str, *, target: Operation | Team, by: User | None, **payload) -> None:
    """A national operation's events are held from the feed and the webhooks until its start
    (the spine numbers and sends them from then on); inside SiLAHAP they are heard at once."""
    publish_at = None
    if isinstance(target, Operation) and target.kind == Operation.Kind.NATIONAL:
        publish_at = target.starts_at
    spine.record_about(
        target, type=type, by=by, unit=target.unit, payload=payload, publish_at=publish_at
    )


def office_of(unit: OrgUnit) -> OrgUnit:
    return unit.office or unit


def member_refusal(*, user: User, unit: OrgUnit, agency_codes: set[str]) -> str:
    """Why `user` may not be on a team led by `unit`, or "" if they may (issue 16 §6, §8)."""
    memberships = access.current_memberships(user)
    if not user.is_active:
        return _("%(name)s's account is disabled.") % {"name": user}
    if user.agency:
        office = office_of(unit)
        if not any(
            m.role == Membership.Role.PARTNER and m.unit.is_within(office) for m in memberships
        ):
            return _(
                "%(name)s is not a partner member of %(office)s: the office's administrator must "
                "give them a partner membership first."
            ) % {"name": user, "office": office}
        if user.agency not in agency_codes:
            return _(
                "%(name)s's agency does not take part: add the agency to the participating "
                "agencies first, or choose a member of a participating agency."
            ) % {"name": user}
        return ""
    if not any(
        m.role in (Membership.Role.OFFICER, Membership.Role.LEADER) and m.unit.is_within(unit)
        for m in memberships
    ):
        return _(
            "%(name)s has no current membership in %(unit)s or a unit below it: choose an officer "
            "of the leading unit."
        ) % {"name": user, "unit": unit}
    return ""
