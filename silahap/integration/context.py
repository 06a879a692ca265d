"""What the integration app adds to other pages through their slots."""

from __future__ import annotations

from silahap.accounts import access


def console_link(request) -> dict | None:
    """The API console's menu link, for administrators (who register) and leaders (who approve).
    The memberships are already loaded for the request: no query of its own."""
    if request.user.is_superuser:
        return {}
    roles = access.roles_of(request.user)
    return {} if roles & {access.Role.ADMIN, access.Role.LEADER} else None
