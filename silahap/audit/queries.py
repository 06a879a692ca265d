"""Reads of the audit trail: the search's filters, and who may read which events.

Who may read is a rule about memberships, which this plumbing does not know: the app that
shows the trail registers it (`set_reader_rule`); without one only superusers read anything.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import models

from silahap import limits
from silahap.inputs import bounded_term

ReaderRule = Callable[["AuditEventQuerySet", Any], "AuditEventQuerySet"]
_reader_rule: ReaderRule | None = None


def set_reader_rule(rule: ReaderRule) -> None:
    """Name the function that narrows the trail to what a (signed-in, not superuser) user reads."""
    global _reader_rule  # noqa: PLW0603 — one registration at start-up, like a URLconf
    _reader_rule = rule


class AuditEventQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> AuditEventQuerySet:
        """The events the user may read: all for a superuser, the registered rule's for others."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if _reader_rule is None:
            return self.none()
        return _reader_rule(self, user)

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
