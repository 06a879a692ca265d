"""Who may register, approve and revoke API clients (DESIGN.md §3, issue 18)."""

from __future__ import annotations

from silahap.accounts import access
from silahap.integration.models import ApiClient


def administers(user, client: ApiClient) -> bool:
    if user.is_superuser:
        return True
    return any(client.unit.is_within(unit) for unit in access.administered_units(user))


@access.rule(ApiClient, "manage")
def may_manage_client(user, client: ApiClient) -> bool:
    """Administrators of the client's unit (or above) register, revoke and issue tokens."""
    return administers(user, client)


@access.rule(ApiClient, "approve")
def may_approve_client(user, client: ApiClient) -> bool:
    """A scope that reads reports or persons is approved by a leader of that scope, because
    administrators do not read reports and so may not hand out a token that does."""
    return user.is_superuser or access.leads(user, client.unit)
