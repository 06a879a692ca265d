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


@rule(Warrant, "read")
def may_read_warrant(user, warrant: Warrant) -> bool:
    """Leaders and analysts of its unit or above; the officers it names or tasks."""
    return (
        access.supervises(user, warrant.unit)
        or warrant.members.filter(pk=user.pk).exists()
        or Task.objects.assigned_to(user).filter(warrant=warrant).exists()
    )


@rule(Task, "read")
def may_read_task(user, task: Task) -> bool:
    return access.supervises(user, task.warrant.unit) or may_carry_out_task(user, task)


@rule(FollowUp, "read")
def may_read_followup(user, followup: FollowUp) -> bool:
    """Leaders and analysts of its unit or above; the officer whose finding opened it; the
    officers given one of its steps."""
    return (
        access.supervises(user, followup.unit)
        or followup.finding.activity.report.officer_id == user.pk
        or followup.steps.filter(assignee=user).exists()
    )


@rule(FollowUpStep, "read")
def may_read_step(user, step: FollowUpStep) -> bool:
    return step.assignee_id == user.pk or may_read_followup(user, step.followup)


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
