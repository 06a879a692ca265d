"""Files for the import tests, built in memory, and a way to upload and run them."""

from __future__ import annotations

import csv
import io

from django.apps import apps
from openpyxl import Workbook

from silahap.registry import services, tasks
from silahap.registry.models_imports import ImportJob, ImportRow

PERSON_HEADER = [
    "full_name", "nationality", "document_number", "document_country", "sex", "birth_date",
    "permit_type", "permit_number", "permit_valid_until",
]  # fmt: skip
LODGING_HEADER = [
    "guest_name", "document_number", "nationality", "lodging", "lodging_regency", "check_in",
    "check_out",
]  # fmt: skip


def csv_bytes(header: list[str], rows: list[list], *, encoding="utf-8", delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header: list[str], rows: list[list]) -> bytes:

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def registry_counts() -> dict[str, int]:
    """Rows in every table of the registry app but the imports' own bookkeeping."""

    return {
        model.__name__: model._base_manager.count()
        for model in apps.get_app_config("registry").get_models()
        if model not in (ImportJob, ImportRow)
    }


def upload(by, office, kind, content: bytes, file_name="data.csv") -> ImportJob:
    """Upload and dry-run a file, as the page does for a small file (the worker for a large)."""
    job = services.import_upload(
        by=by, office=office, kind=kind, file_name=file_name, content=content
    )
    tasks.import_check.call(job.pk)
    job.refresh_from_db()
    return job


def confirm(by, job: ImportJob) -> ImportJob:
    services.import_confirm(by=by, job=job)
    tasks.import_apply.call(job.pk)
    job.refresh_from_db()
    return job


def refusals(job: ImportJob) -> dict[int, list[str]]:
    """Line number → the codes of its problems, for the refused rows."""
    return {
        row.line: [code for code, _params in row.notes]
        for row in job.rows.filter(outcome="refused")
    }
