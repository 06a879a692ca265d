"""Evaluation pages (own performance, a unit with drill-down, league tables) and their exports.

Every page reads the rollups through silahap.insights.evaluation; scoping is in scope.py (404
outside it). Exports are the same tables, each an audited read naming what and how many rows.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from silahap.accounts import access
from silahap.accounts.models import OrgUnit
from silahap.audit import services as audit
from silahap.insights import charts, evaluation, exports, metrics, scope
from silahap.insights.forms import LeagueForm, PeriodForm, RecapCommentForm
from silahap.insights.league import league as league_rows
from silahap.insights.models import ExportJob, RecapComment
from silahap.insights.periods import Period
from silahap.insights.queries import Rows
from silahap.insights.services.exports import PENDING, export_job_start
from silahap.insights.services.recap import recap_comment_save
from silahap.registry.countries import NationalityCountries
from silahap.reports.models import ActivityKind, CheckResult, ViolationType
from silahap.supervision.models import ActionKind

MEMBER_KINDS = {
    OrgUnit.Kind.IMMIGRATION_OFFICE,
    OrgUnit.Kind.SECTION,
    OrgUnit.Kind.TEAM,
}
FORMATS = {"csv", "xlsx"}
# How often the export page asks how far the worker got (a job row read, nothing more).
EXPORT_POLL_SECONDS = 2


def _period(request, unit) -> tuple[PeriodForm, Period | None]:
    form = PeriodForm({"p": request.GET.get("p", "")}, today=scope.today_for(unit))
    if form.is_valid():
        return form, form.cleaned_data["p"]
    return form, None


def _period_links(period: Period) -> dict[str, str]:
    return {
        "previous": period.previous().param,
        "last_year": period.last_year().param,
        "month": period.param if period.kind == "month" else f"{period.end:%Y-%m}",
        "quarter": f"{period.end.year}-Q{(period.end.month - 1) // 3 + 1}",
        "year": str(period.end.year),
    }


def _labels() -> dict[str, dict[str, str]]:
    return {
        "findings": dict(ViolationType.objects.values_list("code", "name")),
        "checks_by_nationality": dict(NationalityCountries()),
        "activities": dict(ActivityKind.choices),
        "checks": dict(CheckResult.choices),
        "tak": dict(ActionKind.choices),
    }


def _tables(rows: Rows, period: Period) -> dict:
    labels = _labels()
    trend, lines = evaluation.trend_table(rows, period)
    findings = evaluation.breakdown_table("findings", rows, period, labels["findings"])
    nationalities = evaluation.breakdown_table(
        "checks_by_nationality", rows, period, labels["checks_by_nationality"]
    )
    nationalities.rows = nationalities.rows[:15]
    return {
        "metric_table": evaluation.metric_table(rows, period),
        "trend": trend,
        "trend_lines": lines,
        "findings": findings,
        "findings_chart": charts.bars([(row[0], row[1]) for row in findings.rows]),
        "nationalities": nationalities,
        "nationalities_chart": charts.bars([(row[0], row[1]) for row in nationalities.rows]),
    }


def _bad_period(request, template: str, context: dict) -> HttpResponse:
    return render(request, template, context, status=400)


@require_GET
def index(request):
    """Where "Kinerja" leads: the viewer's widest unit, or their own performance."""
    unit = scope.home_unit(request.user)
    if unit is not None:
        return redirect("insights:unit", pk=unit.pk)
    if scope.may_see_own(request.user):
        return redirect("insights:me")
    raise Http404


@require_GET
def me(request):
    return officer(request, request.user.pk)


@require_GET
def officer(request, pk: int):
    person = scope.officer_or_404(request.user, pk)
    rows = scope.officer_rows(request.user, person)
    home = scope.officer_unit(person) if person.pk == request.user.pk else None
    form, period = _period(request, home)
    context = {"officer": person, "form": form, "period": period, "own": person == request.user}
    if period is None:
        return _bad_period(request, "insights/officer.html", context)
    context.update(_tables(rows, period))
    context["links"] = _period_links(period)
    return render(request, "insights/officer.html", context)


@require_GET
def unit(request, pk: int):
    found = scope.unit_or_404(request.user, pk)
    return _unit_page(request, found)


def _unit_page(request, found: OrgUnit, comment_form: RecapCommentForm | None = None):
    form, period = _period(request, found)
    context = {
        "unit": found,
        "form": form,
        "period": period,
        "breadcrumb": scope.breadcrumb(request.user, found),
    }
    if period is None:
        return _bad_period(request, "insights/unit.html", context)
    rows = Rows(paths=(found.path,))
    context.update(_tables(rows, period))
    context["links"] = _period_links(period)
    context["row_kinds"] = [
        ("activities", _("activities")),
        ("checks", _("checks")),
        ("findings", _("findings")),
    ]
    context["children"] = evaluation.children_table(scope.children(found), period)
    if found.kind in MEMBER_KINDS:
        context["members"] = evaluation.members_table(found, period)
    if period.kind == "month":
        context["comment"] = RecapComment.objects.filter(unit=found, month=period.start).first()
        if access.can(request.user, "comment_recap", found):
            context["comment_form"] = comment_form or RecapCommentForm(
                initial={"text": context["comment"].text if context["comment"] else ""}
            )
    return render(request, "insights/unit.html", context, status=400 if comment_form else 200)


@require_POST
def recap_comment(request, pk: int):
    """The unit's leader writes the month's comment for the recap (audited by the service)."""
    found = scope.unit_or_404(request.user, pk)
    _form, period = _period(request, found)
    if period is None or period.kind != "month":
        raise Http404
    if not access.can(request.user, "comment_recap", found):
        raise PermissionDenied
    form = RecapCommentForm(request.POST)
    if form.is_valid():
        try:
            recap_comment_save(
                by=request.user, unit=found, month=period.start, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The comment is saved; the recap prints it."))
            return redirect(f"{reverse('insights:unit', args=[found.pk])}?p={period.param}")
    return _unit_page(request, found, comment_form=form)


@require_GET
def league(request):
    units = scope.scopes(request.user)
    if not units:
        raise Http404
    form = LeagueForm(
        {name: request.GET.get(name, "") for name in ("p", "metric", "level", "norm")},
        today=scope.today_for(None),
    )
    context = {"form": form}
    if not form.is_valid():
        if "metric" in form.errors and request.GET.get("metric"):
            raise Http404  # an unknown metric in the URL
        return render(request, "insights/league.html", context, status=400)
    data = form.cleaned_data
    metric = metrics.BY_KEY[data["metric"]]
    entries, table = league_rows(
        metric, scopes=units, period=data["p"], level=data["level"], norm=data["norm"]
    )
    context.update(
        {
            "metric": metric,
            "period": data["p"],
            "level": data["level"],
            "norm": data["norm"],
            "entries": entries,
            "table": table,
        }
    )
    if request.GET.get("format") in FORMATS:
        return _export(request, table, f"league-{metric.key}-{data['p'].param}")
    return render(request, "insights/league.html", context)


@require_GET
def metric_help(request):
    if not scope.may_see_own(request.user) and not scope.scopes(request.user):
        raise Http404
    return render(request, "insights/metrics.html", {"metrics": metrics.SHOWN})


@require_GET
def unit_export(request, pk: int, table: str, fmt: str):
    found = scope.unit_or_404(request.user, pk)
    form, period = _period(request, found)
    if period is None or fmt not in FORMATS:
        raise Http404
    rows = Rows(paths=(found.path,))
    builders = {
        "metrics": lambda: evaluation.metric_table(rows, period),
        "units": lambda: evaluation.children_table(scope.children(found), period),
        "members": lambda: evaluation.members_table(found, period),
        "trend": lambda: evaluation.trend_table(rows, period)[0],
    }
    if table not in builders:
        raise Http404
    return _export(request, builders[table](), f"{found.code}-{table}-{period.param}", fmt=fmt)


@require_GET
def officer_export(request, pk: int, fmt: str):
    person = scope.officer_or_404(request.user, pk)
    form, period = _period(request, None)
    if period is None or fmt not in FORMATS:
        raise Http404
    table = evaluation.metric_table(scope.officer_rows(request.user, person), period)
    return _export(request, table, f"{person.username}-metrics-{period.param}", fmt=fmt)


def _export(request, table: evaluation.Table, name: str, fmt: str | None = None):
    fmt = fmt or request.GET.get("format")
    audit.record(
        action="insights.export",
        actor=request.user,
        object_type="insights.table",
        object_id=table.name,
        summary={"table": table.name, "file": name, "format": fmt, "rows": len(table)},
    )
    if fmt == "xlsx":
        return exports.table_xlsx(table, name)
    return exports.table_csv(table, name)


@require_GET
def unit_recap_pdf(request, pk: int):
    """The unit's monthly recap as a PDF: an audited read like every export."""
    found = scope.unit_or_404(request.user, pk)
    form, period = _period(request, found)
    if period is None or period.kind != "month":
        raise Http404
    from silahap.insights.recap import recap_pdf

    data = recap_pdf(user=request.user, unit=found, period=period, labels=_labels())
    name = f"{found.code}-recap-{period.param}"
    audit.record(
        action="insights.export",
        actor=request.user,
        target=found,
        summary={"table": "recap", "file": name, "format": "pdf", "rows": 1},
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="silahap-{name}.pdf"'
    return response


ROW_KINDS = set(exports.ROW_KINDS)
# Up to this many rows an XLSX is built in the request; more go to the worker (progress page).
XLSX_INLINE_ROWS = 5000


@require_GET
def unit_rows_csv(request, pk: int, kind: str):
    """A period's activities, checks or findings of the unit, streamed from the database."""
    found = scope.unit_or_404(request.user, pk)
    form, period = _period(request, found)
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
    form, period = _period(request, found)
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
    audit.record(
        action="insights.export",
        actor=request.user,
        target=job.unit,
        summary={
            "table": job.kind,
            "file": job.file.name.rsplit("/", 1)[-1],
            "format": "xlsx",
            "rows": job.rows_done,
            "job": job.pk,
        },
    )
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type=exports.XLSX_TYPE,
    )
