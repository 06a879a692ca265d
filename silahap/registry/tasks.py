"""Background work of the registry (Django's tasks API, the django-tasks backport).

Tasks take primary keys and ISO dates (arguments must be JSON), read the current state and are
safe to run twice: delivery is once per (kind, object, day).
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.http import urlencode
from django_tasks import task

from silahap.accounts.models import Membership, OrgUnit, User
from silahap.registry import warnings
from silahap.supervision import notifications
from silahap.supervision.models import NotificationKind


def office_leaders(office: OrgUnit, day: datetime.date) -> list[User]:
    """Current leaders (acting included) of the office or of any unit in it: the head of office
    and the Inteldakim section heads who act on the warnings."""
    memberships = (
        Membership.objects.current(day)
        .filter(role=Membership.Role.LEADER, unit__path__startswith=office.path)
        .select_related("user")
        .order_by("user_id")
    )
    return list({m.user_id: m.user for m in memberships if m.user.is_active}.values())


@task()
def notify_permit_warnings(office_id: int, day_iso: str) -> int:
    """Tell the office's leaders how many stay permits expire within 30 days and how many
    foreigners overstay; nothing is sent when there is neither."""
    office = OrgUnit.objects.get(pk=office_id)
    day = datetime.date.fromisoformat(day_iso)
    [counts] = warnings.office_warnings([office], day)
    if not counts.total:
        return 0
    url = reverse("registry:permit_warnings") + "?" + urlencode({"office": office.pk})
    sent = 0
    for leader in office_leaders(office, day):
        sent += bool(
            notifications.deliver(
                recipient=leader,
                kind=NotificationKind.PERMIT_WARNINGS,
                target=office,
                day=day,
                params={
                    "expiring": counts.expiring,
                    "overstay": counts.overstay,
                    "office": office.name,
                },
                url=url,
            )
        )
    return sent
