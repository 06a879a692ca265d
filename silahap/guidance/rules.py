"""Who may give, answer and follow up directions, and publish to the library (DESIGN.md §3)."""

from __future__ import annotations

from silahap.accounts import access
from silahap.accounts.access import rule
from silahap.accounts.models import Membership, OrgUnit
from silahap.guidance.models import Direction, DirectionRecipient, Sop, SopVersion, Tutorial

Role = Membership.Role


@rule(OrgUnit, "direct")
def may_direct(user, unit: OrgUnit) -> bool:
    """A leader (acting included) of the unit or above gives it directions."""
    return access.leads(user, unit)


@rule(Direction, "follow")
def may_follow(user, direction: Direction) -> bool:
    """See who read and did it, and remind: the sender, and leaders of its unit or above."""
    return direction.created_by_id == user.pk or access.leads(user, direction.unit)


@rule(DirectionRecipient, "answer")
def may_answer(user, recipient: DirectionRecipient) -> bool:
    return recipient.user_id == user.pk


def may_publish_any(user) -> bool:
    """Leaders and office administrators keep the library (it is national, for all staff)."""
    if access.is_partner(user):
        return False
    return user.is_superuser or bool(access.roles_of(user) & {Role.LEADER, Role.ADMIN})


@rule(Sop, "publish")
def may_publish_sop(user, sop: Sop) -> bool:
    return may_publish_any(user)


@rule(Tutorial, "publish")
def may_publish_tutorial(user, tutorial: Tutorial) -> bool:
    return may_publish_any(user)


@rule(SopVersion, "acknowledge")
def may_acknowledge(user, version: SopVersion) -> bool:
    return access.is_immigration_staff(user)


@rule(Tutorial, "watch")
def may_watch(user, tutorial: Tutorial) -> bool:
    return access.is_immigration_staff(user)


@rule(Direction, "read")
def may_read_direction(user, direction: Direction) -> bool:
    """As Direction.objects.visible_to: its sender, its recipients, leaders and analysts above."""
    if access.is_partner(user):
        return False
    return (
        user.is_superuser
        or direction.created_by_id == user.pk
        or direction.recipients.filter(user=user).exists()
        or access.supervises(user, direction.unit)
    )


def may_read_library(user, item: Sop | SopVersion | Tutorial) -> bool:
    """The library is national: every immigration staff member reads it, partners nothing."""
    return user.is_superuser or access.is_immigration_staff(user)


rule(Sop, "read")(may_read_library)
rule(SopVersion, "read")(may_read_library)
rule(Tutorial, "read")(may_read_library)
