"""The API's serializers answer exactly what DRF's ModelSerializer would, only cheaper: the
current time zone is read once per page, not once per datetime value, and a plain column is
read directly instead of through DRF's attribute lookup."""

from __future__ import annotations

import zoneinfo

import pytest
from django.db.models import F
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from silahap.integration.api.reports import DailyReportSerializer
from silahap.integration.api.serializers import ApiModelSerializer
from silahap.integration.urls import router
from silahap.operations.tests.helpers import joint_operation
from silahap.reports import services as reports
from silahap.reports.models import DailyReport
from silahap.reports.tests.factories import at, field_activity, place

pytestmark = pytest.mark.django_db


class PlainReportSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.full_name", read_only=True)

    class Meta(DailyReportSerializer.Meta):
        pass


def test_a_page_of_reports_is_what_drf_would_answer(people):
    activity = field_activity(
        by=people.officer_a, started_at=at(9), place=place(by=people.officer_a)
    )
    reports.report_submit(report=activity.report, by=people.officer_a, now=at(19))
    rows = list(DailyReport.objects.annotate(officer_name=F("officer__full_name")))
    assert rows
    ours = DailyReportSerializer(rows, many=True).data
    assert ours == PlainReportSerializer(rows, many=True).data
    assert ours[0]["submitted_at"]  # a datetime was there to format
    # The zone is read once per page: a page made in another zone formats in that zone.
    with timezone.override(zoneinfo.ZoneInfo("Asia/Jayapura")):
        eastern = DailyReportSerializer(rows, many=True).data
        assert eastern == PlainReportSerializer(rows, many=True).data
    assert eastern[0]["submitted_at"] != ours[0]["submitted_at"]


def test_every_resource_reads_its_rows_as_drf_would(people, root, field_work):
    """Each resource's rows (as its view selects them), serialized by our direct reading and by
    DRF's own Serializer.to_representation, field by field."""
    joint_operation(people)
    request = APIRequestFactory().get("/")
    request.user = root
    compared = set()
    for _prefix, viewset, basename in router.registry:
        serializer_class = getattr(viewset, "serializer_class", None)
        if serializer_class is None or not issubclass(serializer_class, ApiModelSerializer):
            continue
        view = viewset(request=request, format_kwarg=None, action="list")
        rows = list(view.get_queryset()[:20])
        serializer = serializer_class(rows, many=True, context={"request": request})
        child = serializer.child
        for row in rows:
            ours = ApiModelSerializer.to_representation(child, row)
            assert ours == serializers.Serializer.to_representation(child, row), basename
        if rows:
            compared.add(basename)
    # The readings that take a foreign key, a datetime, a choice and an annotation directly.
    assert {"report", "activity", "check", "person", "place", "operation"} <= compared
