"""A period's activities, checks or findings: CSV streamed from the database, XLSX built in the
request when small or by the worker (a page that follows its progress, then the file)."""

from __future__ import annotations

import io

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from silahap.audit import services as audit
from silahap.insights import exports, scope
from silahap.insights.models import ExportJob
from silahap.insights.services.exports import PENDING, export_job_start
from silahap.insights.views.common import period_of
from silahap.storage import file_response

# How often the export page asks how far the worker got (a job row read, nothing more).
EXPORT_POLL_SECONDS = 2
ROW_KINDS = set(exports.ROW_KINDS)
# Up to this many rows an XLSX is built in the request; more go to the worker (progress page).
XLSX_INLINE_ROWS = 5000


@require_GET
def unit_rows_csv(request, pk: int, kind: str):
    """A period's activities, checks or findings of the unit, streamed from the database."""
    found = scope.unit_or_404(request.user, pk)
    form, period = period_of(request, found)
    if period is None or kind not in ROW_KINDS:
        raise Http404
    rows = exports.rows_of(request.user, found, period, kind)
    name = f"{found.code}-{kind}-{period.param}"
    audit.record(
        action="insights.export",
        actor=request.user,
        target=found,
        summary={"table": kind, "file": name, "format": "csv", "rows": rows.count()},
    )
    return exports.streaming_csv(exports.stream(kind, rows), name)


@require_POST
def unit_rows_xlsx(request, pk: int, kind: str):
    """The same rows as XLSX: built here when small, by the worker otherwise (a progress page
    then offers the file when it is ready)."""
    found = scope.unit_or_404(request.user, pk)
    form, period = period_of(request, found)
    if period is None or kind not in ROW_KINDS:
        raise Http404
    rows = exports.rows_of(request.user, found, period, kind)
    count = rows.count()
    if count > XLSX_INLINE_ROWS:
        job = export_job_start(by=request.user, unit=found, kind=kind, period=period.param)
        return redirect("insights:export_job", pk=job.pk)
    name = f"{found.code}-{kind}-{period.param}"
    buffer = io.BytesIO()
    exports.rows_xlsx(kind, rows, buffer)
    audit.record(
        action="insights.export",
        actor=request.user,
        target=found,
        summary={"table": kind, "file": name, "format": "xlsx", "rows": count},
    )
    response = HttpResponse(buffer.getvalue(), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(name, "xlsx")}"'
    return response


def _own_job(request, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob.objects.filter(user=request.user), pk=pk)


@require_GET
def export_job(request, pk: int):
    """How far the worker got with a long export; the download once it is ready."""
    job = _own_job(request, pk)
    return render(
        request, "insights/export_job.html", {"job": job, "poll_seconds": EXPORT_POLL_SECONDS}
    )


@require_GET
def export_progress(request, pk: int):
    """The job's progress for the page's script, which reloads the page once it is over."""
    job = _own_job(request, pk)
    response = JsonResponse(
        {
            "status": job.status,
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent,
            "running": job.status in PENDING,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def export_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    name = (job.file.name or "").rsplit("/", 1)[-1]
    audit.record(
        action="insights.export",
        actor=request.user,
        target=job.unit,
        summary={
            "table": job.kind,
            "file": name,
            "format": "xlsx",
            "rows": job.rows_done,
            "job": job.pk,
        },
    )
    return file_response(
        request, job.file, as_attachment=True, filename=name, content_type=exports.XLSX_TYPE
    )
