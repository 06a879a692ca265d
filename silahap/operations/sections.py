"""What operations adds to lower pages' slots: the partner's home page and the top menu."""

from __future__ import annotations

from django.utils import timezone

from silahap.accounts import access
from silahap.operations.models import Operation

READERS = {"officer", "leader", "analyst", "partner"}
HOME_LIMIT = 20


def nav_context(request) -> dict | None:
    """The menu link, for those who may see operations; no query of its own (the memberships
    are already read for the page's roles)."""
    user = request.user
    if not user.is_authenticated or not access.roles_of(user) & READERS:
        return None
    return {}


def partner_home_context(request) -> dict | None:
    """The partner's operations, newest first (they see nothing else)."""
    user = request.user
    operations = list(
        Operation.objects.visible_to(user)
        .select_related("unit", "unit__office")
        .order_by("-starts_at")[:HOME_LIMIT]
    )
    return {"operations": operations, "now": timezone.now()}
