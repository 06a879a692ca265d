"""Evaluation pages: own performance, a unit with drill-down to its children and members, the
metric definitions, the month's recap (PDF and the leader's comment) and the tables' exports.

Every page reads the rollups through silahap.insights.evaluation; scoping is in scope.py (404
outside it). Exports are the same tables, each an audited read naming what and how many rows.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from silahap.accounts import access
from silahap.accounts.models import OrgUnit
from silahap.audit import services as audit
from silahap.insights import evaluation, metrics, scope
from silahap.insights.forms import RecapCommentForm
from silahap.insights.models import RecapComment
from silahap.insights.queries import Rows
from silahap.insights.recap import recap_pdf
from silahap.insights.services.recap import recap_comment_save
from silahap.insights.views.common import (
    FORMATS,
    MEMBER_KINDS,
    bad_period,
    export_table,
    labels,
    period_links,
    period_of,
    tables,
)


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
    form, period = period_of(request, home)
    context = {"officer": person, "form": form, "period": period, "own": person == request.user}
    if period is None:
        return bad_period(request, "insights/officer.html", context)
    context.update(tables(rows, period))
    context["links"] = period_links(period)
    return render(request, "insights/officer.html", context)


@require_GET
def unit(request, pk: int):
    found = scope.unit_or_404(request.user, pk)
    return _unit_page(request, found)


def _unit_page(request, found: OrgUnit, comment_form: RecapCommentForm | None = None):
    form, period = period_of(request, found)
    context = {
        "unit": found,
        "form": form,
        "period": period,
        "breadcrumb": scope.breadcrumb(request.user, found),
    }
    if period is None:
        return bad_period(request, "insights/unit.html", context)
    rows = Rows(paths=(found.path,))
    context.update(tables(rows, period))
    context["links"] = period_links(period)
    context["row_kinds"] = [
        ("activities", _("activities")),
        ("checks", _("checks")),
        ("findings", _("findings")),
    ]
    context["children"] = evaluation.children_table(scope.children(found), period)
    if found.kind in MEMBER_KINDS:
        context["members"] = evaluation.members_table(found, period)
    if period.kind == "month":
        comment = RecapComment.objects.filter(unit=found, month=period.start).first()
        context["comment"] = comment
        if access.can(request.user, "comment_recap", found):
            context["comment_form"] = comment_form or RecapCommentForm(
                initial={"text": comment.text if comment else ""}
            )
    return render(request, "insights/unit.html", context, status=400 if comment_form else 200)


@require_POST
def recap_comment(request, pk: int):
    """The unit's leader writes the month's comment for the recap (audited by the service)."""
    found = scope.unit_or_404(request.user, pk)
    _form, period = period_of(request, found)
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
def metric_help(request):
    if not scope.may_see_own(request.user) and not scope.scopes(request.user):
        raise Http404
    return render(request, "insights/metrics.html", {"metrics": metrics.SHOWN})


@require_GET
def unit_export(request, pk: int, table: str, fmt: str):
    found = scope.unit_or_404(request.user, pk)
    form, period = period_of(request, found)
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
    return export_table(request, builders[table](), f"{found.code}-{table}-{period.param}", fmt=fmt)


@require_GET
def officer_export(request, pk: int, fmt: str):
    person = scope.officer_or_404(request.user, pk)
    form, period = period_of(request, None)
    if period is None or fmt not in FORMATS:
        raise Http404
    table = evaluation.metric_table(scope.officer_rows(request.user, person), period)
    return export_table(request, table, f"{person.username}-metrics-{period.param}", fmt=fmt)


@require_GET
def unit_recap_pdf(request, pk: int):
    """The unit's monthly recap as a PDF: an audited read like every export."""
    found = scope.unit_or_404(request.user, pk)
    form, period = period_of(request, found)
    if period is None or period.kind != "month":
        raise Http404

    data = recap_pdf(user=request.user, unit=found, period=period, labels=labels())
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
