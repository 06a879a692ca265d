"""Who reads the audit trail and the incident register: leaders and analysts their supervised
subtrees, administrators the units they administer."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.functions import TruncDate

from silahap.accounts import access
from silahap.accounts.models import Membership
from silahap.audit.queries import AuditEventQuerySet


def audit_scopes(user: Any) -> list:
    """Units whose members' events the user may read: leaders and analysts their supervised
    subtrees (an analyst's region), administrators the units they administer."""
    return access.supervised_units(user) + access.administered_units(user)


def may_search_audit(user: Any) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(audit_scopes(user)))


def audit_events_visible_to(events: AuditEventQuerySet, user: Any) -> AuditEventQuerySet:
    """Events of people who were members of a unit in the user's scope on the day of the
    event: an officer's past in another office stays with that office (PDP minimisation)."""
    scopes = audit_scopes(user)
    if not scopes:
        return events.none()
    member_then = Membership.objects.filter(
        access.subtree_q(scopes),
        user_id=models.OuterRef("actor_id"),
        start_date__lte=models.OuterRef("occurred_on"),
    ).filter(
        models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.OuterRef("occurred_on"))
    )
    return events.annotate(occurred_on=TruncDate("occurred_at")).filter(models.Exists(member_then))


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> IncidentQuerySet:
        """Administrators keep the register of their offices; the leaders and analysts above
        read it, since they answer for the breach and sign the notices."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(access.subtree_q(audit_scopes(user), "office"))
