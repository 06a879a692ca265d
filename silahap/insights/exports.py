"""Every table as CSV and XLSX, and a period's activities, checks and findings streamed as CSV.

A cell that a spreadsheet would read as a formula (it begins with =, +, -, @, a tab or a carriage
return) is prefixed with an apostrophe, in CSV and in XLSX alike. Numbers stay numbers. Every
export is an audited read naming what and how many rows (the caller records it).
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from collections.abc import Iterable, Iterator

from django.db import connection
from django.db.models import F, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from silahap.insights.evaluation import Table
from silahap.reports.models import Activity, Check, Classification, Finding

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000
# Lines per piece of a streamed CSV: about 60 KB of activities.
STREAM_LINES = 500


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


def _text(value: str | None) -> str:
    if value is None:
        return ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _activity_lines(activities: QuerySet) -> Iterator[list[object]]:
    # values_list + iterator(chunk_size): a server-side cursor on PostgreSQL, so memory stays
    # flat whatever the number of rows. Each column is converted by what it holds (the same
    # cells as `neutral`, without asking every cell its type: this loop is the export's cost).
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
    text = _text
    for pk, day, officer, unit, kind, source, started, ended, place, lat, lon in rows.iterator(
        chunk_size=CHUNK
    ):
        yield [
            pk,
            day.isoformat(),
            text(officer),
            text(unit),
            text(kind),
            text(source),
            started.isoformat(),
            "" if ended is None else ended.isoformat(),
            text(place),
            "" if lat is None else str(lat),
            "" if lon is None else str(lon),
        ]


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


def stream(kind: str, rows: QuerySet) -> Iterator[str | bytes]:
    """The CSV text of `kind` ("activities", "checks" or "findings"), a few hundred lines at a
    time (one write per line cost the response as much again as reading the rows). On
    PostgreSQL the activities come straight from COPY, already as CSV (see _activities_copy)."""
    if kind == "activities" and connection.vendor == "postgresql":
        yield from _activities_copy(activities_for_export(rows))
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if kind == "activities":
        columns, lines = ACTIVITY_COLUMNS, _activity_lines(activities_for_export(rows))
    elif kind == "checks":
        columns, lines = CHECK_COLUMNS, _check_lines(rows)
    else:
        columns, lines = FINDING_COLUMNS, _finding_lines(rows)
    writer.writerow(columns)
    while True:
        batch = list(itertools.islice(lines, STREAM_LINES))
        writer.writerows(batch)
        yield buffer.getvalue()
        if len(batch) < STREAM_LINES:
            return
        buffer.seek(0)
        buffer.truncate()


def _sql_neutral(column: str) -> str:
    """`neutral` in SQL: text a spreadsheet would run as a formula gets an apostrophe."""
    return (
        f"CASE WHEN left({column}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
        f"THEN '''' || {column} ELSE {column} END"
    )


def _sql_iso(column: str) -> str:
    """Python's isoformat() of an aware UTC datetime, in SQL (microseconds only when set;
    "%%" is the modulo in a statement sent with parameters)."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        f"extract(microseconds FROM {column})::bigint %% 1000000 <> 0 "
        f"THEN to_char({utc}, '.US') ELSE '' END || '+00:00'"
    )


def _activities_copy(activities: QuerySet) -> Iterator[str | bytes]:
    """The activities CSV written by PostgreSQL's COPY from the same scoped query: the cells
    `_activity_lines` makes (formulas neutralised, ISO dates, empty for none), without a
    Python object per cell, and memory stays flat (COPY sends blocks as it goes). Lines end
    with LF (COPY's), the header's too."""
    inner = (
        activities.order_by()
        .annotate(
            x_id=F("pk"),
            x_day=F("report__report_date"),
            x_officer=F("report__officer__username"),
            x_unit=F("report__unit__code"),
            x_place=F("place__name"),
        )
        .values_list(
            "x_id",
            "x_day",
            "x_officer",
            "x_unit",
            "kind",
            "source",
            "started_at",
            "ended_at",
            "x_place",
            "latitude",
            "longitude",
        )
    )
    sql, params = inner.query.sql_with_params()
    columns = ", ".join(
        [
            "r.x_id",
            "to_char(r.x_day, 'YYYY-MM-DD')",
            _sql_neutral("r.x_officer"),
            _sql_neutral("r.x_unit"),
            _sql_neutral("r.kind"),
            _sql_neutral("r.source"),
            _sql_iso("r.started_at"),
            _sql_iso("r.ended_at"),
            _sql_neutral("r.x_place"),
            "r.latitude::text",
            "r.longitude::text",
        ]
    )
    statement = f"COPY (SELECT {columns} FROM ({sql}) AS r ORDER BY r.x_id) TO STDOUT WITH CSV"
    yield ",".join(ACTIVITY_COLUMNS) + "\n"
    # psycopg's own cursor (cursor.cursor): Django's debug wrapper takes no parameters for COPY.
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        for block in copy:
            yield bytes(block)


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


def streaming_csv(lines: Iterable[str | bytes], name: str) -> StreamingHttpResponse:
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
