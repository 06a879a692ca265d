"""Who may act on warrants, tasks and follow-ups (DESIGN.md §3), for accounts.access.can."""

from __future__ import annotations

from silahap.accounts import access
from silahap.accounts.access import rule
from silahap.accounts.models import OrgUnit
from silahap.supervision.models import FollowUp, FollowUpStep, Task, Warrant


def home_units(user) -> list[OrgUnit]:
    return [m.unit for m in access.current_memberships(user)]


def belongs_within(user, unit: OrgUnit) -> bool:
    """True when the user currently holds any membership in `unit` or below it."""
    return any(own.is_within(unit) for own in home_units(user))


@rule(OrgUnit, "issue_warrant")
def may_issue_warrant(user, unit: OrgUnit) -> bool:
    return access.leads(user, unit)


@rule(Warrant, "assign_task")
def may_assign_task(user, warrant: Warrant) -> bool:
    return access.leads(user, warrant.unit)


@rule(Task, "carry_out")
def may_carry_out_task(user, task: Task) -> bool:
    """The officer it is given to, or a current member of the team it is given to."""
    if task.assignee_id is not None:
        return task.assignee_id == user.pk
    return any(m.unit_id == task.team_id for m in access.current_memberships(user))


@rule(FollowUp, "direct")
def may_direct_followup(user, followup: FollowUp) -> bool:
    """Adding steps and closing the case: a leader of its unit or above."""
    return access.leads(user, followup.unit)


@rule(FollowUpStep, "update")
def may_update_step(user, step: FollowUpStep) -> bool:
    return step.assignee_id == user.pk or access.leads(user, step.followup.unit)
