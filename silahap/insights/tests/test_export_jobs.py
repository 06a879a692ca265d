"""Long XLSX exports go to the worker: a progress page, the file when ready, only for the user
who asked, every step audited; short ones are built in the request."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from silahap.audit.models import AuditEvent
from silahap.insights import exports
from silahap.insights.models import ExportJob
from silahap.insights.periods import month_of
from silahap.insights.views import exports as export_pages
from silahap.testing.worker import run_queued

MARCH = datetime.date(2025, 3, 24)


def _xlsx_url(unit, kind="activities", period="2025-03"):
    return reverse("insights:unit_rows_xlsx", args=[unit.pk, kind]) + f"?p={period}"


def _sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content), read_only=True).active.values)


def test_a_long_export_is_built_by_the_worker_and_offered_when_ready(
    client, week, monkeypatch, django_capture_on_commit_callbacks
):
    # the week's two open activities are "long"
    monkeypatch.setattr(export_pages, "XLSX_INLINE_ROWS", 1)
    client.force_login(week.leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_xlsx_url(week.section_a))
        again = client.post(_xlsx_url(week.section_a))  # a double submit
    job = ExportJob.objects.get()
    assert (
        response["Location"] == again["Location"] == reverse("insights:export_job", args=[job.pk])
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="export-refresh"' in page
    assert "export-download" not in page
    run_queued()
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total, job.percent) == ("done", 2, 2, 100)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="export-download"' in page
    download = client.get(reverse("insights:export_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    rows = _sheet_rows(content)
    assert rows[0] == tuple(exports.ACTIVITY_COLUMNS)
    assert len(rows) == 3
    queued = AuditEvent.objects.get(action="insights.export_queued")
    assert queued.summary["kind"] == "activities"
    read = AuditEvent.objects.filter(action="insights.export").latest("sequence")
    assert (read.summary["format"], read.summary["rows"], read.summary["job"]) == (
        "xlsx",
        2,
        job.pk,
    )


def test_an_export_is_its_owners_only(
    client, week, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(export_pages, "XLSX_INLINE_ROWS", 0)
    client.force_login(week.leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_xlsx_url(week.section_a))
    run_queued()
    job = ExportJob.objects.get()
    client.force_login(week.analyst)  # may evaluate the section, but did not ask for this file
    assert client.get(reverse("insights:export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("insights:export_download", args=[job.pk])).status_code == 404
    client.force_login(week.officer_b)  # another office: cannot even ask
    assert client.post(_xlsx_url(week.section_a)).status_code == 404


def test_a_short_export_is_built_in_the_request_and_audited(client, week):
    client.force_login(week.leader_a)
    response = client.post(_xlsx_url(week.section_a, "checks"))
    assert response["Content-Type"] == exports.XLSX_TYPE
    rows = _sheet_rows(response.content)
    assert rows[0] == tuple(exports.CHECK_COLUMNS)
    assert len(rows) == 1 + 3  # the closed activity's check never leaves
    audit = AuditEvent.objects.filter(action="insights.export").latest("sequence")
    assert (audit.summary["format"], audit.summary["rows"]) == ("xlsx", 3)
    assert not ExportJob.objects.exists()


def test_the_xlsx_writer_reports_progress_as_it_goes(week):
    rows = exports.rows_of(week.leader_a, week.section_a, month_of(MARCH), "activities")
    heard = []
    assert exports.rows_xlsx("activities", rows, io.BytesIO(), progress=heard.append, every=1) == 2
    assert heard == [1, 2]
