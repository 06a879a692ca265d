"""An account reading an unusual number of person records in an hour alerts its leaders."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from silahap.accounts import access
from silahap.audit import services as audit
from silahap.audit.models import AuditEvent
from silahap.events import spine
from silahap.events.types import EventType

# Reads of a person's record; many in an hour by one account is what a leak looks like.
WATCHED_ACTIONS = {"person.view"}
UNUSUAL_ACCESS_ACTION = "alert.unusual_access"


def unusual_access_check(*, actor: Any, event: AuditEvent | None = None) -> AuditEvent | None:
    """Raise an alert to the actor's leaders, at most once an hour, when the account has viewed
    more person records in the last hour than SILAHAP_UNUSUAL_PERSON_VIEWS_PER_HOUR."""
    limit = settings.SILAHAP_UNUSUAL_PERSON_VIEWS_PER_HOUR
    since = timezone.now() - datetime.timedelta(hours=1)
    recent = AuditEvent.objects.filter(actor=actor, occurred_at__gte=since)
    viewed = recent.filter(action__in=WATCHED_ACTIONS).values("object_id").distinct().count()
    if viewed <= limit:
        return None
    # Writers no longer queue on the chain head, so two requests of one account could both get
    # here: its own row serialises them, and the second sees the first one's alert.
    list(get_user_model().objects.select_for_update().filter(pk=actor.pk).values_list("pk"))
    if recent.filter(action=UNUSUAL_ACCESS_ACTION).exists():
        return None
    alert = audit.record(
        action=UNUSUAL_ACCESS_ACTION,
        actor=actor,
        target=actor,
        summary={
            "persons_viewed_last_hour": viewed,
            "limit": limit,
            "leaders": [leader.get_username() for leader in _leaders_of(actor)],
        },
    )
    # The views happen inside a request's transaction: the leaders are told once it commits,
    # by supervision's subscriber in the worker, so a slow mail server never holds up the page.
    spine.record(
        type=EventType.UNUSUAL_ACCESS_DETECTED,
        object_type="audit.auditevent",
        object_id=alert.pk,
        actor_id=actor.pk,
    )
    return alert


def _leaders_of(user: Any) -> list[Any]:
    """The nearest current leaders above each unit the user belongs to."""
    leaders: dict[int, Any] = {}
    for membership in access.current_memberships(user):
        for leader in access.nearest_leaders(membership.unit):
            if leader.pk != user.pk:
                leaders.setdefault(leader.pk, leader)
    return list(leaders.values())
