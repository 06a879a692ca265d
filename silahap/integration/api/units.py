"""Organisation units: the tree every other resource's `unit` refers to."""

from __future__ import annotations

from rest_framework import serializers

from silahap.accounts.models import OrgUnit
from silahap.integration.api.base import ResourceViewSet, documented
from silahap.integration.api.serializers import ApiModelSerializer
from silahap.integration.filters import Filters
from silahap.integration.models import Resource


class OrgUnitSerializer(ApiModelSerializer):
    # Local wall-clock time in the office's zone, not an instant: OpenAPI's "time" needs an offset.
    report_deadline = serializers.CharField(
        read_only=True, allow_null=True, help_text="HH:MM:SS in the office's own time zone."
    )

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "parent",
            "office",
            "kind",
            "code",
            "name",
            "path",
            "depth",
            "office_class",
            "is_tpi",
            "timezone",
            "report_deadline",
            "is_active",
            "updated_at",
        ]


@documented
class OrgUnitViewSet(ResourceViewSet):
    resource = Resource.UNITS
    serializer_class = OrgUnitSerializer
    filters = Filters(unit_field=".", parents=(("parent", "parent_id"),))
