"""Who may act on the incident register and answer data subject requests (access.can)."""

from __future__ import annotations

from typing import Any

from silahap.accounts import access
from silahap.accounts.access import rule
from silahap.accounts.models import OrgUnit
from silahap.oversight.models import Incident
from silahap.registry.models import ForeignNational


@rule(ForeignNational, "export_personal_data")
def export_personal_data(user: Any, person: ForeignNational) -> bool:
    """Office administrators answer a data subject's request (UU 27/2022 Pasal 7): the registry
    is national, so any office's administrator may, wherever the person asked. Leaders and
    analysts read records for supervision; the answer to the person is an administrative act."""
    return user.is_superuser or (
        access.is_immigration_staff(user) and bool(access.administered_units(user))
    )


@rule(OrgUnit, "register_incident")
def register_incident(user: Any, unit: OrgUnit) -> bool:
    return user.is_superuser or any(
        unit.is_within(scope) for scope in access.administered_units(user)
    )


@rule(Incident, "update")
def update_incident(user: Any, incident: Incident) -> bool:
    return register_incident(user, incident.office)
