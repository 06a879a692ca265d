"""Reads of the audit trail and the incident register: who may see which rows, and the search."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models.functions import TruncDate

from silahap import limits
from silahap.inputs import bounded_term


def audit_scopes(user) -> list:
    """Units whose members' events the user may read: leaders and analysts their supervised
    subtrees (an analyst's region), administrators the units they administer."""
    from silahap.accounts import access

    return access.supervised_units(user) + access.administered_units(user)


def may_search_audit(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(audit_scopes(user)))


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> AuditEventQuerySet:
        """Events of people who were members of a unit in the user's scope on the day of the
        event: an officer's past in another office stays with that office (PDP minimisation)."""
        from silahap.accounts import access
        from silahap.accounts.models import Membership

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        scopes = audit_scopes(user)
        if not scopes:
            return self.none()
        member_then = Membership.objects.filter(
            access.subtree_q(scopes),
            user_id=models.OuterRef("actor_id"),
            start_date__lte=models.OuterRef("occurred_on"),
        ).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.OuterRef("occurred_on"))
        )
        return self.annotate(occurred_on=TruncDate("occurred_at")).filter(
            models.Exists(member_then)
        )

    def searched(self, filters: dict[str, Any]) -> AuditEventQuerySet:
        """Narrow by the audit search form's cleaned data; empty values narrow nothing.
        TermTooLong for a name or a text over its limit (the form says so first)."""
        queryset = self
        actor = bounded_term(filters.get("actor") or "", limits.NAME)
        if actor:
            if actor.isdigit():
                queryset = queryset.filter(actor__nip=actor)
            else:
                queryset = queryset.filter(
                    models.Q(actor__full_name__icontains=actor)
                    | models.Q(actor_label__iexact=actor)
                )
        action = filters.get("action")
        if action:
            # "person." lists every action on persons; "person.view" only that one.
            if action.endswith("."):
                queryset = queryset.filter(action__startswith=action)
            else:
                queryset = queryset.filter(action=action)
        if filters.get("object_type"):
            queryset = queryset.filter(object_type=filters["object_type"])
        if filters.get("object_id"):
            queryset = queryset.filter(object_id=filters["object_id"])
        if filters.get("purpose"):
            queryset = queryset.filter(purpose=filters["purpose"])
        zone = datetime.UTC if filters.get("zone") is None else filters["zone"]
        if filters.get("date_from"):
            start = datetime.datetime.combine(filters["date_from"], datetime.time(), zone)
            queryset = queryset.filter(occurred_at__gte=start)
        if filters.get("date_to"):
            end = datetime.datetime.combine(filters["date_to"], datetime.time(), zone)
            queryset = queryset.filter(occurred_at__lt=end + datetime.timedelta(days=1))
        if filters.get("text"):
            text = bounded_term(filters["text"], limits.AUDIT_TEXT)
            queryset = queryset.filter(summary__icontains=text)
        if filters.get("before"):
            queryset = queryset.filter(sequence__lt=filters["before"])
        return queryset

    def for_search_page(self) -> AuditEventQuerySet:
        return self.select_related("actor").order_by("-sequence")

    def about_persons(self, targets: dict[str, list]) -> AuditEventQuerySet:
        """Events whose target is one of the given (object type → primary keys)."""
        query = models.Q(pk__in=[])
        for object_type, keys in targets.items():
            if keys:
                query |= models.Q(object_type=object_type, object_id__in=[str(k) for k in keys])
        return self.filter(query)


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user) -> IncidentQuerySet:
        """Administrators keep the register of their offices; the leaders and analysts above
        read it, since they answer for the breach and sign the notices."""
        from silahap.accounts import access

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(access.subtree_q(audit_scopes(user), "office"))
