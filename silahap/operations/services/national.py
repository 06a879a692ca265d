"""National synchronised operations (Operasi Jagratara): set centrally, one child per office,
confidential below the offices' leaders until the start."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import OrgUnit, User
from silahap.audit import services as audit
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.operations.models import Operation, OperationTransition
from silahap.operations.services.common import record_event
from silahap.operations.services.operations import check_period


@dataclass(frozen=True)
class OfficeShare:
    office: OrgUnit
    target_count: int | None = None
    instructions: str = ""


@idempotent(Operation, owner="created_by")
@transaction.atomic
def national_operation_create(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    unit: OrgUnit,
    number: str,
    name: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    instructions: str = "",
    legal_basis: str = "",
    offices: Iterable[OfficeShare],
) -> Operation:
    """Create the national operation and one child per participating office to plan and run."""
    access.require(by, "plan_national_operation", unit)
    check_period(starts_at, ends_at)
    shares = list(offices)
    if not shares:
        raise ValidationError({"offices": _("Choose at least one participating office.")})
    if any(share.office.kind != OrgUnit.Kind.IMMIGRATION_OFFICE for share in shares):
        raise ValidationError({"offices": _("Participants are immigration offices.")})
    if len({share.office.pk for share in shares}) != len(shares):
        raise ValidationError({"offices": _("Each office takes part once.")})
    if Operation.objects.filter(unit=unit, number=number.strip()).exists():
        raise ValidationError({"number": _("This unit already has an operation with this number.")})
    common = {
        "kind": Operation.Kind.NATIONAL,
        "name": name.strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "legal_basis": legal_basis.strip(),
        "created_by": by,
    }
    root = Operation(
        unit=unit,
        number=number.strip(),
        instructions=instructions.strip(),
        client_id=client_id,
        **common,
    )
    root.full_clean(exclude=["client_id"])
    root.save()
    children = [
        Operation(
            unit=share.office,
            parent=root,
            number=f"{root.number}/{share.office.code}",
            instructions=share.instructions.strip() or root.instructions,
            target_count=share.target_count,
            **common,
        )
        for share in shares
    ]
    Operation.objects.bulk_create(children)
    children = list(root.children.all())
    OperationTransition.objects.bulk_create(
        [OperationTransition(operation=op, to_status="planned", by=by) for op in [root, *children]]
    )
    audit.record(
        action="operation.national_create",
        actor=by,
        target=root,
        summary={"number": root.number, "offices": [share.office.pk for share in shares]},
    )
    confidential = {"confidential_until": starts_at.isoformat()}
    record_event(EventType.OPERATION_CREATED, target=root, by=by, kind="national", **confidential)
    for child in children:
        record_event(
            EventType.OPERATION_CREATED, target=child, by=by, kind="national", **confidential
        )
    return root
