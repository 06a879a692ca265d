"""Operations (independent, joint Timpora, national) and their results.

A national operation is confidential until its start (`confidential_until` in its events): the
offices' leaders and analysts plan under it on the web pages, but no API client sees it, its
area, its targets or its results before then: a client gets 404, exactly as for an operation
outside its scope. The results are counts computed from the operation's linked activities by
`silahap.operations.results`, the same module the operation page and its PDF use.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from silahap.integration.api.base import ResourceViewSet, documented, etag_of
from silahap.integration.api.serializers import ApiModelSerializer
from silahap.integration.feed import not_confidential
from silahap.integration.filters import Filters
from silahap.integration.models import Resource
from silahap.integration.principal import client_of
from silahap.operations.models import Operation, OperationStatus
from silahap.operations.results import TAK_LABELS, operation_results
from silahap.supervision.models import ActionKind

# What a reader may ask for: the stored statuses, "approved" and "running" as of now (an
# approved operation is running from its start without a write; the page shows the same).
STATUSES = tuple(OperationStatus.values)
TAK_CODES = {str(label): code for code, label in TAK_LABELS.items()}


def status_q(value: str, now) -> Q:
    if value == OperationStatus.RUNNING:
        return Q(status=OperationStatus.RUNNING) | Q(
            status=OperationStatus.APPROVED, starts_at__lte=now
        )
    if value == OperationStatus.APPROVED:
        return Q(status=OperationStatus.APPROVED, starts_at__gt=now)
    return Q(status=value)


@dataclass(frozen=True)
class OperationFilters(Filters):
    """`status` reads the status as of now, not the stored one (see STATUSES)."""

    def apply(self, queryset, params):
        queryset = super().apply(queryset, {k: v for k, v in params.items() if k != "status"})
        if "status" in params:
            if params["status"] not in self.statuses:
                raise exceptions.ValidationError(
                    {"status": "One of: " + ", ".join(self.statuses) + "."}
                )
            queryset = queryset.filter(status_q(params["status"], timezone.now()))
        return queryset


class OperationSerializer(ApiModelSerializer):
    status = serializers.SerializerMethodField(help_text="The status as of now.")
    regency = serializers.CharField(
        source="regency_id", read_only=True, allow_null=True, help_text="Kemendagri code."
    )

    class Meta:
        model = Operation
        fields = [
            "id",
            "kind",
            "number",
            "name",
            "unit",
            "parent",
            "team",
            "status",
            "starts_at",
            "ends_at",
            "regency",
            "target_count",
            "objectives",
            "conclusions",
            "recommendations",
            "approved_at",
            "reported_at",
            "created_at",
            "updated_at",
        ]

    def get_status(self, operation: Operation) -> str:
        return operation.state()


def _counts(pairs, key: str) -> list[dict]:
    return [{key: name, "count": count} for name, count in pairs]


ResultsSerializer = inline_serializer(
    "OperationResults",
    {
        "operation": serializers.IntegerField(),
        "planned": serializers.IntegerField(),
        "visited": serializers.IntegerField(),
        "activities": serializers.IntegerField(),
        "checked": serializers.IntegerField(help_text="Distinct foreigners checked."),
        "findings": serializers.IntegerField(),
        "followups": serializers.IntegerField(),
        "tak_total": serializers.IntegerField(),
        "by_nationality": inline_serializer(
            "NationalityCount",
            {"nationality": serializers.CharField(), "count": serializers.IntegerField()},
            many=True,
        ),
        "by_violation": inline_serializer(
            "ViolationCount",
            {"violation": serializers.CharField(), "count": serializers.IntegerField()},
            many=True,
        ),
        "tak": inline_serializer(
            "TakCount",
            {
                "action_kind": serializers.ChoiceField(choices=ActionKind.values),
                "count": serializers.IntegerField(),
            },
            many=True,
        ),
        "partner_actions": inline_serializer(
            "PartnerActionCount",
            {
                "agency": serializers.CharField(),
                "actions": serializers.IntegerField(),
                "counted": serializers.IntegerField(),
            },
            many=True,
        ),
        "visited_places": serializers.ListField(child=serializers.IntegerField()),
    },
)


def results_data(operation: Operation) -> dict:
    found = operation_results(operation)
    return {
        "operation": operation.pk,
        "planned": found.planned,
        "visited": found.visited,
        "activities": found.activities,
        "checked": found.checked,
        "findings": found.findings,
        "followups": found.followups,
        "tak_total": found.tak_total,
        "by_nationality": [
            {"nationality": code, "count": count} for code, _name, count in found.by_nationality
        ],
        "by_violation": _counts(found.by_violation, "violation"),
        "tak": [
            {"action_kind": TAK_CODES.get(str(label), str(label)), "count": count}
            for label, count in found.tak
        ],
        "partner_actions": [
            {"agency": agency, "actions": actions, "counted": counted}
            for agency, actions, counted in found.partner_actions
        ],
        "visited_places": [place.pk for place in found.visited_places],
    }


@documented
class OperationViewSet(ResourceViewSet):
    resource = Resource.OPERATIONS
    serializer_class = OperationSerializer
    filters = OperationFilters(
        unit_field="unit",
        date_field="starts_at__date",
        status_field="status",
        statuses=STATUSES,
        parents=(("parent", "parent_id"),),
    )

    def scope(self, queryset):
        if client_of(self.request.user) is not None:
            queryset = queryset.filter(not_confidential(timezone.now()))
        return queryset

    @extend_schema(parameters=[], responses={200: ResultsSerializer, 304: None})
    @action(detail=True, url_path="results", pagination_class=None)
    def results(self, request, pk=None):
        """Places visited, foreigners checked, findings, follow-ups and TAK of the operation
        (for a national operation: of all its offices), counted from its activities."""
        operation = self.get_object()
        data = results_data(operation)
        etag = etag_of(data)
        headers = {"ETag": etag, "Cache-Control": "no-store"}
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(data, headers=headers)
