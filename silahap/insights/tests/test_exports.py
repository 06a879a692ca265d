"""Exports: formula injection made inert in CSV and XLSX, rows streamed, every export audited
with what and how many rows, closed (intelligence) activities never exported."""

from __future__ import annotations

import csv
import io

from django.http import StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from silahap.audit.models import AuditEvent
from silahap.insights import exports
from silahap.insights.evaluation import Table
from silahap.insights.tests.conftest import WEEK
from silahap.reports.models import Activity

PERIOD = f"{WEEK[0].isoformat()}..{WEEK[1].isoformat()}"
HOSTILE = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain"]


def _table() -> Table:
    return Table(name="t", title="t", headers=["a", "b"], rows=[[text, 5] for text in HOSTILE])


def test_csv_cells_that_could_run_as_formulas_are_neutralised():
    body = exports.table_csv(_table(), "t").content.decode()
    cells = [row[0] for row in csv.reader(io.StringIO(body))][1:]
    assert cells[:6] == ["'" + text for text in HOSTILE[:6]]
    assert cells[6] == "plain"


def test_xlsx_cells_that_could_run_as_formulas_are_neutralised_and_numbers_stay_numbers():
    book = load_workbook(io.BytesIO(exports.table_xlsx(_table(), "t").content))
    rows = list(book.active.iter_rows(values_only=True))[1:]
    assert [row[0] for row in rows][:4] == ["'" + text for text in HOSTILE[:4]]
    assert all(row[1] == 5 for row in rows)


def test_unit_export_is_an_audited_read_naming_the_rows(client, week):
    client.force_login(week.leader_a)
    url = reverse("insights:unit_export", args=[week.section_a.pk, "members", "xlsx"])
    response = client.get(url, {"p": PERIOD})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    event = AuditEvent.objects.filter(action="insights.export").latest("sequence")
    assert event.summary["table"] == "members"
    assert event.summary["rows"] == 2  # officer_a and officer_a2


def test_activities_csv_is_streamed_audited_and_leaves_closed_activities_out(client, week):
    client.force_login(week.leader_a)
    url = reverse("insights:unit_rows_csv", args=[week.section_a.pk, "activities"])
    response = client.get(url, {"p": PERIOD})
    assert isinstance(response, StreamingHttpResponse)
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0][0] == "activity_id"
    assert len(lines) == 3  # two open activities of officer_a; A2's closed one is not there
    event = AuditEvent.objects.filter(action="insights.export").latest("sequence")
    assert event.summary["rows"] == 2
    assert event.summary["table"] == "activities"


def test_checks_csv_follows_the_same_scope(client, week):
    client.force_login(week.leader_b)
    url = reverse("insights:unit_rows_csv", args=[week.section_a.pk, "checks"])
    assert client.get(url, {"p": PERIOD}).status_code == 404
    client.force_login(week.leader_a)
    response = client.get(url, {"p": PERIOD})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(lines) == 1 + 3


def test_league_exports_as_csv(client, week):
    client.force_login(week.analyst_national)
    response = client.get(
        reverse("insights:league"), {"p": "2025-03", "metric": "activities", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    offices = {row[1]: row for row in rows[1:]}
    assert offices["Kanim Tangerang"][3] == "2"


def test_monthly_recap_pdf_holds_the_numbers_of_the_page(client, week):
    client.force_login(week.leader_a)
    response = client.get(
        reverse("insights:unit_recap_pdf", args=[week.section_a.pk]), {"p": "2025-03"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "2025-03" in text
    assert "Overstay" in text or "overstay" in text.lower()
    assert (
        AuditEvent.objects.filter(action="insights.export").latest("sequence").summary["format"]
        == "pdf"
    )


def test_recap_is_for_a_month_only(client, people):
    client.force_login(people.leader_a)
    url = reverse("insights:unit_recap_pdf", args=[people.section_a.pk])
    assert client.get(url, {"p": "2025"}).status_code == 404


def test_activities_csv_cells_are_those_of_the_generic_conversion_piece_by_piece(
    client, week, monkeypatch
):
    hostile = Activity.objects.filter(report__officer=week.officer_a).first().place
    hostile.name = '=HYPERLINK("http://x")'
    hostile.save(update_fields=["name"])
    monkeypatch.setattr(exports, "STREAM_LINES", 1)  # one line a piece: every boundary crossed
    client.force_login(week.leader_a)
    url = reverse("insights:unit_rows_csv", args=[week.section_a.pk, "activities"])
    pieces = list(client.get(url, {"p": PERIOD}).streaming_content)
    assert len(pieces) >= 3
    lines = list(csv.reader(io.StringIO(b"".join(pieces).decode())))
    rows = (
        Activity.objects.filter(report__officer=week.officer_a)
        .order_by("pk")
        .values_list(
            "pk",
            "report__report_date",
            "report__officer__username",
            "report__unit__code",
            "kind",
            "source",
            "started_at",
            "ended_at",
            "place__name",
            "latitude",
            "longitude",
        )
    )
    expected = [[str(exports.neutral(cell)) for cell in row] for row in rows]
    assert lines[1:] == expected
    assert lines[1][8] == "'" + hostile.name
