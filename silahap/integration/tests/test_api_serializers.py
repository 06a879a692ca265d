"""The API's serializers answer exactly what DRF's ModelSerializer would, only cheaper: the
current time zone is read once per page, not once per datetime value, and a plain column is
read directly instead of through DRF's attribute lookup."""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from silahap.integration.api.reports import DailyReportSerializer
from silahap.integration.api.serializers import ApiModelSerializer, iso_datetime
from silahap.integration.tests.conftest import bearer
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


ZONES = (
    "UTC",
    "Asia/Jakarta",
    "Asia/Makassar",
    "Asia/Jayapura",
    "Asia/Kathmandu",
    "America/St_Johns",
)


@pytest.mark.parametrize("zone_name", ZONES)
def test_a_datetime_is_written_as_drfs_datetime_field_writes_it(zone_name):
    """Aware values from several zones, with and without microseconds, across a DST change,
    written in each current zone (UTC as "Z", half- and three-quarter-hour offsets)."""
    values = [
        datetime.datetime(2026, 1, 31, 8, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 1, 31, 8, 0, 0, 123456, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 8, 6, 30, 0, 1, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
        datetime.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
        datetime.datetime(
            2026, 12, 31, 23, 59, 59, 999999, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta")
        ),
        datetime.datetime(1, 1, 2, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(
            2026, 6, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-3))
        ),
    ]
    drf = serializers.DateTimeField()
    with timezone.override(zoneinfo.ZoneInfo(zone_name)):
        zone = timezone.get_current_timezone()
        for value in values:
            assert iso_datetime(value, zone) == drf.to_representation(value), value


def report_page(rows, **kwargs):
    return DailyReportSerializer(rows, many=True, **kwargs)


@pytest.mark.parametrize("zone_name", ZONES)
def test_a_page_of_reports_with_every_kind_of_datetime_is_what_drf_would_answer(people, zone_name):
    """Microseconds, a value on the hour, an empty datetime (None), and a naive value (which
    goes DRF's own way) are written as DRF writes them, in the page's zone."""
    activity = field_activity(
        by=people.officer_a, started_at=at(9), place=place(by=people.officer_a)
    )
    report = activity.report
    DailyReport.objects.filter(pk=report.pk).update(
        submitted_at=datetime.datetime(2026, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC),
        first_submitted_at=datetime.datetime(2026, 2, 3, 4, 0, tzinfo=datetime.UTC),
        decided_at=None,
    )
    rows = list(DailyReport.objects.annotate(officer_name=F("officer__full_name")))
    naive = DailyReport.objects.annotate(officer_name=F("officer__full_name")).get(pk=report.pk)
    naive.created_at = datetime.datetime(2026, 2, 3, 4, 5, 6)  # noqa: DTZ001 (DRF's way)
    rows.append(naive)
    with timezone.override(zoneinfo.ZoneInfo(zone_name)):
        ours = report_page(rows).data
        assert ours == PlainReportSerializer(rows, many=True).data
    assert ours[0]["decided_at"] is None
    assert ours[0]["submitted_at"].count(".789012") == 1


def test_the_row_plan_is_made_once_per_class_and_keeps_no_request(people, field_work):
    rows = list(DailyReport.objects.annotate(officer_name=F("officer__full_name")))
    request = APIRequestFactory().get("/")
    request.user = people.leader_a
    first = report_page(rows, context={"request": request})
    assert first.data
    second = report_page(rows, context={"request": request})
    assert second.data == first.data
    assert second.child.row_plan() is first.child.row_plan()
    for column in first.child.row_plan():
        assert column.field.context == {}  # the plan's fields belong to a serializer of its own
    # Every field of a report is read directly: DRF's fields are not built for a page.
    assert "fields" not in second.child.__dict__


def test_a_row_without_the_views_annotation_goes_drfs_way(people):
    """officer_name is read from the row's annotation; on a row made without it DRF's own
    reading decides (a read-only field it cannot find is left out)."""
    field_activity(by=people.officer_a, started_at=at(9), place=place(by=people.officer_a))
    rows = list(DailyReport.objects.all())
    child = report_page(rows).child
    for row in rows:
        ours = ApiModelSerializer.to_representation(child, row)
        assert ours == serializers.Serializer.to_representation(child, row)
        assert "officer_name" not in ours
        assert ours["officer"] == row.officer_id


def test_the_reports_list_answers_drfs_own_rows_through_a_token(client, people, make_client):
    """The whole path (the token's lookup, the scope, the page) gives, row for row, what DRF's
    plain ModelSerializer gives for the reports the client may see."""
    for officer in (people.officer_a, people.officer_b):
        activity = field_activity(by=officer, started_at=at(9), place=place(by=officer))
        reports.report_submit(report=activity.report, by=officer, now=at(19))
    _api_client, token = make_client(people.office_a, resources=("reports",))
    response = client.get(reverse("integration:report-list"), **bearer(token))
    assert response.status_code == 200
    results = response.json()["results"]
    visible = DailyReport.objects.filter(unit__path__startswith=people.office_a.path)
    rows = list(visible.annotate(officer_name=F("officer__full_name")).order_by("id"))
    assert [row["id"] for row in results] == [row.pk for row in rows]
    assert len(rows) == 1  # officer_b's report is another unit's
    expected = json.loads(JSONRenderer().render(PlainReportSerializer(rows, many=True).data))
    assert results == expected


class ChoosyReportSerializer(DailyReportSerializer):
    """Leaves out the officer's name unless the context asks for it."""

    def get_fields(self):
        fields = super().get_fields()
        if not self.context.get("names"):
            del fields["officer_name"]
        return fields


def test_a_serializer_choosing_its_fields_per_request_is_planned_per_request(people):
    field_activity(by=people.officer_a, started_at=at(9), place=place(by=people.officer_a))
    rows = list(DailyReport.objects.annotate(officer_name=F("officer__full_name")))
    named = ChoosyReportSerializer(rows, many=True, context={"names": True}).data
    unnamed = ChoosyReportSerializer(rows, many=True, context={}).data
    assert named[0]["officer_name"] == people.officer_a.full_name
    assert "officer_name" not in unnamed[0]
    assert {**unnamed[0], "officer_name": named[0]["officer_name"]} == named[0]
