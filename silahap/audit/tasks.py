"""Background work of the audit app: telling leaders of unusual access to personal records."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_tasks import task

from silahap.accounts import access
from silahap.accounts.models import User
from silahap.audit.models import AuditEvent
from silahap.supervision import notifications
from silahap.supervision.models import NotificationKind


@task()
def notify_unusual_access(alert_id: int) -> int:
    """Tell the leaders the alert names, in the app and by email; once per leader, watched account
    and day (the alert itself comes at most hourly and stays in the trail)."""
    alert = (
        AuditEvent.objects.filter(pk=alert_id, actor__isnull=False).select_related("actor").first()
    )
    if alert is None:
        return 0
    watched = alert.actor
    leaders = User.objects.filter(username__in=alert.summary.get("leaders", []), is_active=True)
    url = reverse("audit:search") + "?" + urlencode({"actor": watched.get_username()})
    # The day as the watched account's office counts it, like every other notice it gets.
    offices = [m.unit.office or m.unit for m in access.current_memberships(watched)]
    day = timezone.localdate(alert.occurred_at, timezone=offices[0].zone if offices else None)
    sent = 0
    for leader in leaders:
        sent += bool(
            notifications.deliver(
                recipient=leader,
                kind=NotificationKind.UNUSUAL_ACCESS,
                target=watched,
                day=day,
                params={
                    "user": str(watched),
                    "count": alert.summary.get("persons_viewed_last_hour", 0),
                },
                url=url,
            )
        )
    return sent
