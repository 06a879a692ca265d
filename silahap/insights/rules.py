"""Who may do what in insights: only the unit's own leaders comment on its monthly recap; whoever
evaluates a unit (it is in their scope) may export its rows."""

from __future__ import annotations

from silahap.accounts import access
from silahap.accounts.access import rule
from silahap.accounts.models import Membership, OrgUnit
from silahap.insights.scope import scopes


@rule(OrgUnit, "comment_recap")
def may_comment_recap(user, unit: OrgUnit) -> bool:
    """A current leader of the unit itself (acting included), not of a unit above or beside it:
    the comment speaks for the unit's month."""
    return any(led.pk == unit.pk for led in access.units_with_role(user, [Membership.Role.LEADER]))


@rule(OrgUnit, "export_rows")
def may_export_rows(user, unit: OrgUnit) -> bool:
    """The unit is in the subtrees the user evaluates (leaders, analysts; never partners)."""
    return any(unit.is_within(scope) for scope in scopes(user))
