"""Answering a data subject's request: the export of everything held and done about them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from silahap.accounts import access
from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.oversight import pdp
from silahap.registry.models import ForeignNational
from silahap.registry.purposes import ViewPurpose


@transaction.atomic
def person_data_export(
    *, by: User, person: ForeignNational, reference: str, reason: str, file_format: str
) -> pdp.PersonDataExport:
    """Build the export for one person's request, recorded first so the export lists itself."""
    access.require(by, "export_personal_data", person)
    audit.record(
        action="pdp.export",
        actor=by,
        target=person,
        purpose=ViewPurpose.DATA_SUBJECT_REQUEST,
        summary={"reference": reference, "reason": reason, "format": file_format},
    )
    return pdp.build(person=person, reference=reference, reason=reason, now=timezone.now())
