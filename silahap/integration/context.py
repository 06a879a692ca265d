"""What the integration app adds to other pages through their slots."""

from __future__ import annotations

import os

from silahap.accounts import access
from silahap.integration.permits.lookup import TIMEOUT_ENV


def console_link(request) -> dict | None:
    """The API console's menu link, for administrators (who register) and leaders (who approve).
    The memberships are already loaded for the request: no query of its own."""
    if request.user.is_superuser:
        return {}
    roles = access.roles_of(request.user)
    return {} if roles & {access.Role.ADMIN, access.Role.LEADER} else None


def permit_status_box(request) -> dict | None:
    """The official status beside the check form's document, for immigration staff."""
    if not access.is_immigration_staff(request.user):
        return None
    try:
        seconds = float(os.environ.get(TIMEOUT_ENV) or 3)
    except ValueError:
        seconds = 3.0
    # The page gives up a little after the server would: the server answers "unavailable" itself.
    return {"timeout_ms": int(min(seconds, 10.0) * 1000) + 1500}
