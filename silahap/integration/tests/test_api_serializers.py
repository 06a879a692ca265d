"""The API's serializers answer exactly what DRF's ModelSerializer would, only cheaper: the
current time zone is read once per page, not once per datetime value."""

from __future__ import annotations

import zoneinfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from silahap.integration.api.reports import DailyReportSerializer
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
    rows = list(DailyReport.objects.select_related("officer"))
    assert rows
    ours = DailyReportSerializer(rows, many=True).data
    assert ours == PlainReportSerializer(rows, many=True).data
    assert ours[0]["submitted_at"]  # a datetime was there to format
    # The zone is read once per page: a page made in another zone formats in that zone.
    with timezone.override(zoneinfo.ZoneInfo("Asia/Jayapura")):
        eastern = DailyReportSerializer(rows, many=True).data
        assert eastern == PlainReportSerializer(rows, many=True).data
    assert eastern[0]["submitted_at"] != ours[0]["submitted_at"]
