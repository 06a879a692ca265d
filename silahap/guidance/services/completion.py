"""Reminding the members of a unit who are behind on required SOPs and tutorials."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import OrgUnit, User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.guidance import completion


@transaction.atomic
def training_remind(*, by: User, unit: OrgUnit) -> dict[int, str]:
    """Tell each member of the unit who is behind what is still to read or watch."""
    if not access.leads(by, unit):
        raise PermissionDenied("only a leader of the unit reminds its members")
    items, rows = completion.matrix([unit])
    behind = {
        row.user.pk: ", ".join(items[i].title for i in row.behind)
        for row in rows
        if row.behind and row.user.pk != by.pk
    }
    if not behind:
        raise ValidationError(_("Everyone has completed what is required; nobody to remind."))
    audit.record(action="training.remind", actor=by, target=unit, summary={"users": sorted(behind)})
    spine.record(
        type=EventType.TRAINING_REMINDED,
        object_type="accounts.orgunit",
        object_id=unit.pk,
        actor_id=by.pk,
        unit_path=unit.path,
        payload={"items": {str(pk): titles for pk, titles in behind.items()}},
    )
    return behind
