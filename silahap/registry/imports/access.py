"""Who imports: the administrators and the leaders of an immigration office, for that office.

Administrators keep the office's master data; leaders answer for what their office records. An
officer's field work already adds persons one by one, and analysts only read.
"""

from __future__ import annotations

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit


def import_offices(user) -> list[OrgUnit]:
    """The offices for which the user may upload files and see their import jobs."""
    if user is None or not user.is_authenticated or not access.is_immigration_staff(user):
        return []
    units = access.units_with_role(user, (Membership.Role.ADMIN, Membership.Role.LEADER))
    offices: dict[int, OrgUnit] = {}
    for unit in units:
        office = unit if unit.kind == OrgUnit.Kind.IMMIGRATION_OFFICE else unit.office
        if office is not None:
            offices.setdefault(office.pk, office)
    return sorted(offices.values(), key=lambda office: office.name)
