"""A unit's work: follow-ups and their steps, warrants and their tasks."""

from __future__ import annotations

from silahap.integration.api.base import ResourceViewSet, documented
from silahap.integration.api.serializers import ApiModelSerializer
from silahap.integration.filters import Filters
from silahap.integration.models import Resource
from silahap.supervision.models import (
    FollowUp,
    FollowUpStatus,
    FollowUpStep,
    StepStatus,
    Task,
    Warrant,
)


class FollowUpSerializer(ApiModelSerializer):
    class Meta:
        model = FollowUp
        fields = [
            "id",
            "finding",
            "unit",
            "status",
            "opened_by",
            "opened_at",
            "closed_at",
            "updated_at",
        ]


@documented
class FollowUpViewSet(ResourceViewSet):
    resource = Resource.SUPERVISION
    serializer_class = FollowUpSerializer
    personal = True
    filters = Filters(
        unit_field="unit",
        date_field="opened_at__date",
        status_field="status",
        statuses=tuple(FollowUpStatus.values),
    )


class FollowUpStepSerializer(ApiModelSerializer):
    class Meta:
        model = FollowUpStep
        fields = [
            "id",
            "followup",
            "position",
            "kind",
            "action_kind",
            "assignee",
            "due_date",
            "status",
            "notes",
            "decision_number",
            "basis_step",
            "completed_at",
            "created_at",
            "updated_at",
        ]


@documented
class FollowUpStepViewSet(ResourceViewSet):
    resource = Resource.SUPERVISION
    serializer_class = FollowUpStepSerializer
    personal = True
    filters = Filters(
        unit_field="followup__unit",
        date_field="due_date",
        status_field="status",
        statuses=tuple(StepStatus.values),
        parents=(("followup", "followup_id"),),
    )


class WarrantSerializer(ApiModelSerializer):
    """The scanned warrant itself is downloaded through the site's access check."""

    class Meta:
        model = Warrant
        fields = [
            "id",
            "unit",
            "number",
            "issued_on",
            "signer",
            "basis",
            "targets",
            "period_start",
            "period_end",
            "created_at",
            "updated_at",
        ]


@documented
class WarrantViewSet(ResourceViewSet):
    resource = Resource.SUPERVISION
    serializer_class = WarrantSerializer
    filters = Filters(unit_field="unit", date_field="issued_on")


class TaskSerializer(ApiModelSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            "warrant",
            "assignee",
            "team",
            "target_place",
            "target_person",
            "target_area",
            "instructions",
            "due_date",
            "created_at",
            "updated_at",
        ]


@documented
class TaskViewSet(ResourceViewSet):
    resource = Resource.SUPERVISION
    serializer_class = TaskSerializer
    personal = True
    filters = Filters(
        unit_field="warrant__unit", date_field="due_date", parents=(("warrant", "warrant_id"),)
    )
