"""The user an API client acts as: its own account, holding only the client's scope.

The client's account has no membership rows. Its scope (an analyst of the client's unit, the
role that reads a subtree and writes nothing but the registry) is put where
`access.current_memberships` looks first, so every `visible_to` and `can()` rule answers for the
client exactly as for a user with that scope, and nothing an administrator does to memberships
can widen it.
"""

from __future__ import annotations

import datetime

from silahap.accounts.models import Membership
from silahap.integration.models import ApiClient


class _FixedScope(dict):
    """Answers every day's question with the same memberships (the client's scope)."""

    def __init__(self, memberships: list[Membership]):
        super().__init__()
        self.memberships = memberships

    def __contains__(self, day: object) -> bool:
        return True

    def __getitem__(self, day: datetime.date) -> list[Membership]:
        return self.memberships


def acting_user(client: ApiClient):
    """The client's account, scoped to the client's unit subtree for this request."""
    user = client.account
    scope = Membership(
        user=user,
        unit=client.unit,
        role=Membership.Role.ANALYST,
        start_date=datetime.date.min,
    )
    user.__dict__["_silahap_memberships"] = _FixedScope([scope])
    user.__dict__["api_client_scope"] = client
    return user


def client_of(user) -> ApiClient | None:
    """The client a request's user acts for, or None for a person signed in with a session."""
    return getattr(user, "api_client_scope", None)
