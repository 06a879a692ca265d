"""What an office administrator may do to accounts and memberships (docs/admin.md).

An administrator manages the people of their own office subtree and may not widen anyone's access
beyond it, least of all their own: administrators do not read reports.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.access import rule
from silahap.accounts.models import Membership, OrgUnit, User

Role = Membership.Role
# Roles that read others' reports (leader, analyst) or manage accounts (admin).
ABOVE_OFFICER = (Role.LEADER, Role.ANALYST, Role.ADMIN)
# What an office administrator may never change on an account holding a role above officer: who
# can sign in as it (email for reset links, the switch that re-enables it) and whose it is.
PROTECTED_FIELDS = ("username", "email", "is_active", "agency", "account_expires_on")


def _within(unit: OrgUnit, scopes: list[OrgUnit]) -> bool:
    return any(unit.is_within(scope) for scope in scopes)


def administers_account(by: User, user: User) -> bool:
    """True when every standing membership of `user` lies in `by`'s administered subtrees."""
    if by.is_superuser:
        return True
    if user.is_superuser:
        return False
    scopes = access.administered_units(by)
    if not scopes:
        return False
    standing = Membership.objects.standing().filter(user=user).select_related("unit")
    return all(_within(membership.unit, scopes) for membership in standing)


def holds_role_above_officer(user: User) -> bool:
    """Leaders, analysts and administrators, today or from a later start date."""
    return Membership.objects.standing().filter(user=user, role__in=ABOVE_OFFICER).exists()


def grant_refusal(
    *, by: User | None, user: User, unit: OrgUnit, role: str, membership: Membership | None = None
) -> str:
    """Why `by` may not give `user` the role in the unit (or change `membership` to it); "" if
    they may. System setup (by=None) and superusers may do anything."""
    if by is None or by.is_superuser:
        return ""
    scopes = access.administered_units(by)
    if not scopes:
        return _("Only an administrator may grant roles.")
    if user.pk == by.pk or (membership is not None and membership.user_id == by.pk):
        return _(
            "You cannot give yourself a role or change your own membership: another "
            "administrator, or a leader above you, must do it."
        )
    if membership is not None and not _within(membership.unit, scopes):
        return _("This membership belongs to a unit outside your office.")
    if not _within(unit, scopes):
        return _(
            "You may grant roles only in your own office and the units below it; a role above "
            "your office is granted by an administrator there."
        )
    if not administers_account(by, user):
        return _(
            "This person belongs to a unit outside your office: an administrator of that unit "
            "must change their roles."
        )
    if role in ABOVE_OFFICER and user.password_known_to_administrator():
        return _(
            "An administrator set this person's password. Send them a password-reset link so they "
            "choose their own before they take this role."
        )
    if role in ABOVE_OFFICER and user.email_chosen_by(by):
        return _(
            "You typed this person's email address, where password-reset links go: another "
            "administrator or a superuser must give them this role."
        )
    return ""


@rule(Membership, "grant")
def grant(by: User, membership: Membership) -> bool:
    """May `by` save this membership (new, or with its changed role, unit or dates)?"""
    original = None
    if membership.pk is not None:
        original = Membership.objects.select_related("unit").filter(pk=membership.pk).first()
    return not grant_refusal(
        by=by, user=membership.user, unit=membership.unit, role=membership.role, membership=original
    )


@rule(User, "change")
def change_account(by: User, user: User) -> bool:
    return administers_account(by, user)


@rule(User, "set_password")
def set_password(by: User, user: User) -> bool:
    """Never for anyone above officer: knowing their password means reading what they read."""
    if by.is_superuser:
        return True
    return administers_account(by, user) and not holds_role_above_officer(user)


@rule(User, "send_password_reset")
def send_password_reset(by: User, user: User) -> bool:
    """The link goes to the person's own email; an administrator of theirs may send it."""
    return administers_account(by, user)
