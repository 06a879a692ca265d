"""Daily reports and what they hold: activities, checks, findings, evidence metadata."""

from __future__ import annotations

from django.db.models import F, Q
from rest_framework import serializers

from silahap.accounts import access
from silahap.integration.api.base import ResourceViewSet, documented
from silahap.integration.api.serializers import ApiModelSerializer
from silahap.integration.filters import Filters
from silahap.integration.models import Resource
from silahap.reports.models import (
    Activity,
    Check,
    Classification,
    DailyReport,
    Evidence,
    Finding,
    ReportStatus,
)


def open_or_readable(user, activity_prefix: str = "") -> Q:
    """Closed (intelligence) activities' contents only for their author and the leaders above."""
    report = f"{activity_prefix}report"
    leaders = access.units_with_role(user, [access.Role.LEADER])
    return (
        ~Q(**{f"{activity_prefix}classification": Classification.CLOSED})
        | Q(**{f"{report}__officer": user})
        | access.subtree_q(leaders, f"{report}__unit")
    )


class DailyReportSerializer(ApiModelSerializer):
    # Annotated by the view: one column, not the officer's whole row made into a User per report.
    officer_name = serializers.CharField(read_only=True)

    class Meta:
        model = DailyReport
        fields = [
            "id",
            "officer",
            "officer_name",
            "unit",
            "report_date",
            "status",
            "revision_number",
            "first_submitted_at",
            "submitted_at",
            "is_late",
            "decided_at",
            "decided_by",
            "return_reason",
            "correction_reason",
            "created_at",
            "updated_at",
        ]


@documented
class DailyReportViewSet(ResourceViewSet):
    resource = Resource.REPORTS
    serializer_class = DailyReportSerializer
    personal = True
    filters = Filters(
        unit_field="unit",
        date_field="report_date",
        status_field="status",
        statuses=tuple(ReportStatus.values),
        parents=(("officer", "officer_id"),),
    )

    def scope(self, queryset):
        return queryset.annotate(officer_name=F("officer__full_name"))


MASKED = ("description", "conclusion", "recommendation")


class ActivitySerializer(ApiModelSerializer):
    details_withheld = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "report",
            "kind",
            "source",
            "classification",
            "warrant_number",
            "warrant_date",
            "warrant_to_follow",
            "started_at",
            "ended_at",
            "place",
            "latitude",
            "longitude",
            "location_accuracy_m",
            "location_source",
            "description",
            "conclusion",
            "recommendation",
            "details_withheld",
            "created_at",
            "updated_at",
        ]

    def get_details_withheld(self, activity: Activity) -> bool:
        return not access.can(self.context["request"].user, "read_details", activity)

    def to_representation(self, activity):
        data = super().to_representation(activity)
        if data["details_withheld"]:
            for field in MASKED:
                data[field] = ""
            for field in ("place", "latitude", "longitude", "location_accuracy_m"):
                data[field] = None
        return data


@documented
class ActivityViewSet(ResourceViewSet):
    resource = Resource.REPORTS
    serializer_class = ActivitySerializer
    filters = Filters(
        unit_field="report__unit",
        date_field="started_at__date",
        parents=(("report", "report_id"),),
    )

    def scope(self, queryset):
        return queryset.select_related("report", "report__unit")


class CheckSerializer(ApiModelSerializer):
    class Meta:
        model = Check
        fields = [
            "id",
            "activity",
            "person",
            "permit",
            "verification_method",
            "activity_observed",
            "matches_permit",
            "result",
            "notes",
            "identity_pending",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "identity_pending": {
                "help_text": "True while the person's identity was read from a document photo "
                "sent offline and the officer has not confirmed the fields it filled."
            },
        }


class ActivityPartViewSet(ResourceViewSet):
    resource = Resource.REPORTS
    personal = True

    def scope(self, queryset):
        return queryset.filter(open_or_readable(self.request.user, "activity__"))


@documented
class CheckViewSet(ActivityPartViewSet):
    serializer_class = CheckSerializer
    filters = Filters(
        unit_field="activity__report__unit",
        date_field="activity__report__report_date",
        status_field="result",
        statuses=tuple(Check.Result.values),
        parents=(
            ("activity", "activity_id"),
            ("report", "activity__report_id"),
            ("person", "person_id"),
        ),
    )


class FindingSerializer(ApiModelSerializer):
    violation_code = serializers.CharField(source="violation_type.code", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "activity",
            "check_record",
            "person",
            "violation_type",
            "violation_code",
            "description",
            "overstay_days",
            "created_at",
            "updated_at",
        ]


@documented
class FindingViewSet(ActivityPartViewSet):
    serializer_class = FindingSerializer
    filters = Filters(
        unit_field="activity__report__unit",
        date_field="activity__report__report_date",
        parents=(
            ("activity", "activity_id"),
            ("report", "activity__report_id"),
            ("person", "person_id"),
        ),
    )

    def scope(self, queryset):
        return super().scope(queryset).select_related("violation_type")


class EvidenceSerializer(ApiModelSerializer):
    """Metadata only: the files themselves are downloaded through the site's access check.

    A photo may arrive as a small display copy first (`original_state` "pending"): until its
    original follows, `sha256`, `taken_at` and the point are what the phone declared; once the
    original's hash matches ("verified", `original_received_at`), they are read from it, and
    `updated_at` moves."""

    class Meta:
        model = Evidence
        fields = [
            "id",
            "activity",
            "original_state",
            "original_received_at",
            "sha256",
            "content_type",
            "size_bytes",
            "width",
            "height",
            "taken_at",
            "taken_latitude",
            "taken_longitude",
            "flag",
            "caption",
            "uploaded_at",
            "updated_at",
        ]
        extra_kwargs = {
            "original_state": {
                "help_text": "kept: the original came with the upload; pending: only the "
                "display copy so far (hash, time and point as the phone declared them); "
                "verified: the original followed and matches the declared SHA-256."
            },
            "original_received_at": {"help_text": "When a pending original arrived."},
            "sha256": {
                "help_text": "The original's SHA-256 (declared by the phone while pending)."
            },
        }


@documented
class EvidenceViewSet(ActivityPartViewSet):
    serializer_class = EvidenceSerializer
    filters = Filters(
        unit_field="activity__report__unit",
        date_field="activity__report__report_date",
        parents=(("activity", "activity_id"), ("report", "activity__report_id")),
    )
