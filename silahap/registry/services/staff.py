"""Who may write to the registry: immigration staff (partner agencies only read)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from silahap.accounts import access
from silahap.accounts.models import User


def require_staff(by: User | None) -> None:
    """Refuse a partner-agency member; None is the system (imports, merges it runs itself)."""
    if by is not None and not access.is_immigration_staff(by):
        raise PermissionDenied("only immigration staff write to the registry")
