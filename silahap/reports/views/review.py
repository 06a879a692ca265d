"""Leaders' review: the queue, the decision on a report, and comments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from silahap.accounts import access
from silahap.reports import queries, services
from silahap.reports.forms import CommentForm, ReturnForm, ReviseForm
from silahap.reports.models import Activity, DailyReport
from silahap.reports.views.field import _render_report_page


@require_GET
def review_queue(request):
    reports = list(queries.review_queue(request.user)[:200])
    return render(request, "reports/review_queue.html", {"reports": reports})


def _report_or_404(request, pk: int) -> DailyReport:
    return get_object_or_404(
        DailyReport.objects.visible_to(request.user).select_related("unit__office", "officer"),
        pk=pk,
    )


@require_POST
def report_approve(request, pk: int):
    report = _report_or_404(request, pk)
    try:
        services.report_approve(report=report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Report approved."))
        return redirect("reports:review_queue")
    return redirect(report.get_absolute_url())


@require_POST
def report_return(request, pk: int):
    report = _report_or_404(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(
                report=report, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(report.get_absolute_url())
        messages.success(request, _("Report returned to the officer."))
        return redirect("reports:review_queue")
    access.require(request.user, "decide", report)

    return _render_report_page(
        request, report, template="reports/report_detail.html", return_form=form, status=422
    )


@require_POST
def report_revise(request, pk: int):
    report = _report_or_404(request, pk)
    form = ReviseForm(request.POST)
    if form.is_valid():
        try:
            services.report_revise(
                report=report, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report is open for your correction."))
        return redirect(report.get_absolute_url())
    access.require(request.user, "revise", report)

    return _render_report_page(
        request, report, template="reports/report_detail.html", revise_form=form, status=422
    )


@require_POST
def comment_create(request, pk: int):
    report = _report_or_404(request, pk)
    form = CommentForm(request.POST)
    activity = None
    if form.is_valid():
        if form.cleaned_data.get("activity"):
            activity = get_object_or_404(
                Activity.objects.filter(report=report), pk=form.cleaned_data["activity"]
            )
        try:
            services.comment_create(
                by=request.user,
                client_id=form.cleaned_data["client_id"],
                report=report,
                activity=activity,
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        access.require(request.user, "comment", report)
        messages.error(request, _("Write something first."))
    target = activity.get_absolute_url() if activity else report.get_absolute_url()
    return redirect(target + "#comments")
