"""Imports into the registry: upload, the dry run's report, confirmation, progress, layouts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silahap.accounts import access
from silahap.registry import services
from silahap.registry.imports import problems
from silahap.registry.imports.access import import_offices
from silahap.registry.imports.forms import ImportUploadForm
from silahap.registry.imports.layouts import LAYOUTS, template_csv
from silahap.registry.models_imports import ImportJob, ImportKind, ImportRow

ROWS_PER_PAGE = 50
RECENT_JOBS = 50
POLL_SECONDS = 2


def _jobs(request):
    return (
        ImportJob.objects.visible_to(request.user)
        .defer("content")
        .select_related("office", "uploaded_by")
    )


@require_http_methods(["GET", "POST"])
def import_list(request):
    """The office's imports, newest first, and the form to upload another file."""
    offices = import_offices(request.user)
    if not offices:
        raise PermissionDenied("imports are for the office's administrators and leaders")
    form = ImportUploadForm(request.POST or None, request.FILES or None, offices=offices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                job = services.import_upload(
                    by=request.user,
                    office=form.cleaned_data["office"],
                    kind=form.cleaned_data["kind"],
                    file_name=uploaded.name,
                    content=uploaded.read(),
                    client_id=form.cleaned_data["client_id"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return redirect(job)
        status = 422
    jobs = list(_jobs(request)[:RECENT_JOBS])
    return render(
        request,
        "registry/import_list.html",
        {"form": form, "jobs": jobs, "kinds": ImportKind.choices},
        status=status,
    )


@require_GET
def import_detail(request, pk: int):
    """A job's state, counts, progress while it runs, and its rows page by page."""
    job = get_object_or_404(_jobs(request), pk=pk)
    outcome = request.GET.get("outcome", "")
    rows = ImportRow.objects.filter(job=job).select_related("person").order_by("line")
    if outcome in ImportRow.Outcome.values:
        rows = rows.filter(outcome=outcome)
    else:
        outcome = ""
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.messages = problems.render_all(row.notes)  # type: ignore[attr-defined]  # for the page
    return render(
        request,
        "registry/import_detail.html",
        {
            "job": job,
            "page": page,
            "outcome": outcome,
            "outcomes": ImportRow.Outcome.choices,
            "problem": problems.render(*job.problem) if job.problem else "",
            "poll_seconds": POLL_SECONDS,
        },
    )


@require_GET
def import_progress(request, pk: int):
    """What the job page's progress bar polls."""
    job = get_object_or_404(_jobs(request), pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "processed": job.processed_rows,
            "total": job.total_rows,
            "percent": job.percent,
            "running": job.is_running,
        }
    )


@require_POST
def import_confirm(request, pk: int):
    job = get_object_or_404(_jobs(request), pk=pk)
    try:
        job = services.import_confirm(by=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Import started."))
    return redirect(job)


def _layout(kind: str):
    if kind not in LAYOUTS:
        raise Http404("no such layout")
    return LAYOUTS[kind]


@require_GET
def import_layout(request, kind: str):
    """The documented columns of one kind of file."""
    access.require_staff(request.user)
    columns = _layout(kind)
    return render(
        request,
        "registry/import_layout.html",
        {"kind": kind, "kind_label": ImportKind(kind).label, "columns": columns},
    )


@require_GET
def import_template(request, kind: str):
    """A CSV with the header and one example row; the BOM makes Excel read it as UTF-8."""
    access.require_staff(request.user)
    _layout(kind)
    response = HttpResponse("\ufeff" + template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="silahap-{kind}-template.csv"'
    return response
