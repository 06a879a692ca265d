"""Reads for the live page: one query per poll, the access re-checked inside it."""

from __future__ import annotations

from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.lookups import StartsWith

from silahap.accounts.models import Membership
from silahap.operations.models import Operation, OperationActivity, OperationMember, PartnerAction
from silahap.reports.models import Check, Finding

LIVE_KINDS = ("visit", "check", "finding", "action")


def _allowed(user, operation_field: str) -> Q:
    """Still a member of the operation, or still a leader or analyst above its unit."""
    if user.is_superuser:
        return Q()
    member = OperationMember.objects.filter(user=user, operation=OuterRef(operation_field))
    supervising = (
        Membership.objects.current()
        .filter(user=user, role__in=[Membership.Role.LEADER, Membership.Role.ANALYST])
        .filter(StartsWith(OuterRef(f"{operation_field}__unit__path"), F("unit__path")))
    )
    return Q(Exists(member)) | Q(Exists(supervising))


def _row(queryset, kind: str, at: str, text, operation_field: str, user):
    return (
        queryset.filter(_allowed(user, operation_field))
        .annotate(
            k=Value(kind, output_field=CharField()),
            i=Cast("pk", IntegerField()),
            t=F(at),
            x=Cast(text, CharField()),
        )
        .values_list("k", "i", "t", "x")
        .order_by()
    )


def live_feed(user, operation: Operation | int, cursors: dict[str, int], limit: int = 50):
    """What arrived on an operation after the cursors: places visited, checks (nationality
    only), findings (violation only), partner actions. One UNION query."""
    pk = operation.pk if isinstance(operation, Operation) else operation
    visits = _row(
        OperationActivity.objects.filter(operation_id=pk, pk__gt=cursors.get("visit", 0)),
        "visit",
        "linked_at",
        Coalesce(F("activity__place__name"), Value("")),
        "operation",
        user,
    )
    checks = _row(
        Check.objects.filter(
            activity__operation_link__operation_id=pk, pk__gt=cursors.get("check", 0)
        ),
        "check",
        "created_at",
        Concat(F("person__nationality"), Value(" · "), F("result")),
        "activity__operation_link__operation",
        user,
    )
    findings = _row(
        Finding.objects.filter(
            activity__operation_link__operation_id=pk, pk__gt=cursors.get("finding", 0)
        ),
        "finding",
        "created_at",
        F("violation_type__name"),
        "activity__operation_link__operation",
        user,
    )
    actions = _row(
        PartnerAction.objects.filter(operation_id=pk, pk__gt=cursors.get("action", 0)),
        "action",
        "recorded_at",
        Concat(F("agency"), Value(": "), F("description")),
        "operation",
        user,
    )
    return visits.union(checks, findings, actions, all=True).order_by("-t")[:limit]
