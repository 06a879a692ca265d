"""Who may act on standing teams and operations (issue 16 §2–6), for accounts.access.can."""

from __future__ import annotations

from silahap.accounts import access
from silahap.accounts.access import rule
from silahap.accounts.models import Membership, OrgUnit
from silahap.operations import visibility
from silahap.operations.models import Decision, Operation, OperationStatus, Team

S = OperationStatus
# While the plan may still change: members are invited and targets added up to the end.
PLANNING = (S.PLANNED, S.APPROVED, S.RUNNING)


def office_of(unit: OrgUnit) -> OrgUnit:
    return unit.office or unit


def is_national_analyst(user) -> bool:
    return user.is_superuser or any(
        unit.kind == OrgUnit.Kind.DIRECTORATE_GENERAL
        for unit in access.units_with_role(user, [Membership.Role.ANALYST])
    )


@rule(OrgUnit, "plan_operation")
def may_plan_operation(user, unit: OrgUnit) -> bool:
    return access.leads(user, unit)


@rule(OrgUnit, "form_team")
def may_form_team(user, unit: OrgUnit) -> bool:
    return access.leads(user, unit)


@rule(OrgUnit, "plan_national_operation")
def may_plan_national(user, unit: OrgUnit) -> bool:
    """An analyst of the Directorate General (Direktorat Wasdakim) sets national operations."""
    return is_national_analyst(user)


@rule(Team, "read")
def may_read_team(user, team: Team) -> bool:
    return visibility.may_read_team(user, team)


@rule(Team, "manage")
def may_manage_team(user, team: Team) -> bool:
    return access.leads(user, team.unit)


@rule(Decision, "complete")
def may_complete_decision(user, decision: Decision) -> bool:
    return decision.owner_id == user.pk or access.leads(user, decision.meeting.team.unit)


@rule(Operation, "read")
def may_read_operation(user, operation: Operation) -> bool:
    return visibility.may_read_operation(user, operation)


@rule(Operation, "plan")
def may_plan(user, operation: Operation) -> bool:
    return (
        not operation.is_national_root
        and operation.state() in PLANNING
        and access.leads(user, operation.unit)
    )


@rule(Operation, "approve")
def may_approve(user, operation: Operation) -> bool:
    """The head of the leading office (or a leader above it) signs off the plan."""
    return (
        not operation.is_national_root
        and operation.status == S.PLANNED
        and access.leads(user, office_of(operation.unit))
    )


@rule(Operation, "finish")
def may_finish(user, operation: Operation) -> bool:
    return operation.state() == S.RUNNING and access.leads(user, operation.unit)


@rule(Operation, "report")
def may_report(user, operation: Operation) -> bool:
    return operation.status == S.FINISHED and access.leads(user, operation.unit)


@rule(Operation, "stop")
def may_stop(user, operation: Operation) -> bool:
    """Postpone or cancel: before it has finished, by a leader of the leading unit."""
    return (
        not operation.is_national_root
        and operation.state() in PLANNING
        and access.leads(user, operation.unit)
    )


@rule(Operation, "link_activity")
def may_link_activity(user, operation: Operation) -> bool:
    """Immigration members of the operation file their activities under it while it runs."""
    return (
        access.is_immigration_staff(user)
        and operation.is_running()
        and operation.members.filter(user=user).exists()
    )


@rule(Operation, "record_partner_action")
def may_record_partner_action(user, operation: Operation) -> bool:
    """A partner member records their agency's actions while it runs and until it is reported."""
    return (
        access.is_partner(user)
        and operation.state() in (S.RUNNING, S.FINISHED)
        and visibility.may_read_operation(user, operation)
    )
