"""Background work of the accounts app: telling people when an account's access grows."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

from silahap.accounts.models import Membership
from silahap.audit.models import AuditEvent
from silahap.supervision import notifications
from silahap.supervision.models import NotificationKind


def _role_label(membership: Membership) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(membership.get_role_display())


@task()
def notify_membership_granted(event_id: int) -> int:
    """Tell the person and their office's leaders that an administrator gave them a role above
    officer (or any role to an administrator); once per person, membership and day."""
    event = AuditEvent.objects.filter(pk=event_id).select_related("actor").first()
    membership = (
        Membership.objects.filter(pk=event.object_id).select_related("user", "unit").first()
        if event is not None and event.object_type == "accounts.membership"
        else None
    )
    if membership is None:
        return 0
    unit = membership.unit
    recipients = {membership.user_id: membership.user}
    for leader in notifications.nearest_leaders(unit.office or unit):
        recipients.setdefault(leader.pk, leader)
    if event.actor_id is not None:
        recipients.pop(event.actor_id, None)
    day = timezone.localdate(event.occurred_at, timezone=unit.zone)
    params = {
        "actor": str(event.actor) if event.actor else event.actor_label,
        "user": str(membership.user),
        # Named in the office's language, like the rest of the notice's text.
        "role": _role_label(membership),
        "unit": unit.name,
    }
    sent = 0
    for recipient in recipients.values():
        sent += bool(
            notifications.deliver(
                recipient=recipient,
                # Access to personal records grew: the kind leaders already watch for that.
                kind=NotificationKind.UNUSUAL_ACCESS,
                target=membership,
                day=day,
                params=params,
            )
        )
    return sent
