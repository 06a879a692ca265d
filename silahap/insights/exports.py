"""Every table as CSV and XLSX, and a period's activities, checks and findings streamed as CSV.

A cell that a spreadsheet would read as a formula (it begins with =, +, -, @, a tab or a carriage
return) is prefixed with an apostrophe, in CSV and in XLSX alike. Numbers stay numbers. Every
export is an audited read naming what and how many rows (the caller records it).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from silahap.insights.evaluation import Table
from silahap.reports.models import Activity, Check, Classification, Finding

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000


def neutral(value: object) -> object:
    """The value, with text that could run as a formula made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def file_name(name: str, extension: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)[:80]
    return f"silahap-{safe}.{extension}"


def table_csv(table: Table, name: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutral(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([neutral(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(name, "csv")}"'
    return response


def table_xlsx(table: Table, name: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.name[:31] or "table")
    sheet.append([neutral(header) for header in table.headers])
    for row in table.rows:
        sheet.append([neutral(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name(name, "xlsx")}"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


ACTIVITY_COLUMNS = [
    "activity_id",
    "report_date",
    "officer",
    "unit",
    "kind",
    "source",
    "started_at",
    "ended_at",
    "place",
    "latitude",
    "longitude",
]


def activities_for_export(rows: QuerySet) -> QuerySet:
    """Open activities only: closed (intelligence) ones never leave in an export."""
    return rows.exclude(classification=Classification.CLOSED)


def _activity_lines(activities: QuerySet) -> Iterator[list[object]]:
    # values_list + iterator(chunk_size): a server-side cursor on PostgreSQL, so memory stays
    # flat whatever the number of rows.
    rows = activities.order_by("pk").values_list(
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
    for row in rows.iterator(chunk_size=CHUNK):
        yield [str(cell) if isinstance(cell, Decimal) else neutral(cell) for cell in row]


CHECK_COLUMNS = [
    "check_id",
    "activity_id",
    "report_date",
    "officer",
    "unit",
    "person_id",
    "nationality",
    "verification_method",
    "result",
    "matches_permit",
]


def _check_lines(checks: QuerySet) -> Iterator[list[object]]:
    rows = checks.order_by("pk").values_list(
        "pk",
        "activity_id",
        "activity__report__report_date",
        "activity__report__officer__username",
        "activity__report__unit__code",
        "person_id",
        "person__nationality",
        "verification_method",
        "result",
        "matches_permit",
    )
    for row in rows.iterator(chunk_size=CHUNK):
        yield [neutral(cell) for cell in row]


FINDING_COLUMNS = [
    "finding_id",
    "activity_id",
    "report_date",
    "officer",
    "unit",
    "violation_type",
    "person_id",
    "overstay_days",
]


def _finding_lines(findings: QuerySet) -> Iterator[list[object]]:
    rows = findings.order_by("pk").values_list(
        "pk",
        "activity_id",
        "activity__report__report_date",
        "activity__report__officer__username",
        "activity__report__unit__code",
        "violation_type__code",
        "person_id",
        "overstay_days",
    )
    for row in rows.iterator(chunk_size=CHUNK):
        yield [neutral(cell) for cell in row]


def stream(kind: str, rows: QuerySet) -> Iterator[str]:
    """The CSV text of `kind` ("activities", "checks" or "findings"), line by line."""
    writer = csv.writer(_Echo())
    if kind == "activities":
        columns, lines = ACTIVITY_COLUMNS, _activity_lines(activities_for_export(rows))
    elif kind == "checks":
        columns, lines = CHECK_COLUMNS, _check_lines(rows)
    else:
        columns, lines = FINDING_COLUMNS, _finding_lines(rows)
    yield writer.writerow(columns)
    for line in lines:
        yield writer.writerow(line)


ROW_KINDS = ("activities", "checks", "findings")
COLUMNS = {"activities": ACTIVITY_COLUMNS, "checks": CHECK_COLUMNS, "findings": FINDING_COLUMNS}


def rows_of(user, unit, period, kind: str) -> QuerySet:
    """The unit's filed activities (or their checks or findings) of the period that `user` may
    read, closed ones never: the same rows for the streamed CSV and the worker's XLSX."""
    activities = activities_for_export(
        Activity.objects.visible_to(user).filter(
            report__unit__path__startswith=unit.path,
            report__report_date__gte=period.start,
            report__report_date__lte=period.end,
            report__first_submitted_at__isnull=False,
        )
    )
    return parts_of(kind, activities)


def lines_of(kind: str, rows: QuerySet) -> Iterator[list[object]]:
    if kind == "activities":
        return _activity_lines(rows)
    return _check_lines(rows) if kind == "checks" else _finding_lines(rows)


def parts_of(kind: str, activities: QuerySet) -> QuerySet:
    """The rows of `kind` within the (already scoped, open-only) activities."""
    if kind == "activities":
        return activities
    model = Check if kind == "checks" else Finding
    return model.objects.filter(activity__in=activities)


def streaming_csv(lines: Iterable[str], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(name, "csv")}"'
    return response


def rows_xlsx(kind: str, rows: QuerySet, target, *, progress=None, every: int = 1000) -> int:
    """Write the rows as an XLSX workbook to `target` (a path or a binary file), in openpyxl's
    write-only mode (rows go to disk as they come); `progress(n)` hears every `every` rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=kind)
    sheet.append(COLUMNS[kind])
    written = 0
    for line in lines_of(kind, rows):
        sheet.append(line)
        written += 1
        if progress is not None and written % every == 0:
            progress(written)
    workbook.save(target)
    return written
