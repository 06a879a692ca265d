"""What the insights pages share: the period they read, the tables of a scope, table exports."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from silahap.accounts.models import OrgUnit
from silahap.audit import services as audit
from silahap.insights import charts, evaluation, exports, scope
from silahap.insights.forms import PeriodForm
from silahap.insights.periods import Period
from silahap.insights.queries import Rows
from silahap.registry.countries import NationalityCountries
from silahap.reports.models import ActivityKind, CheckResult, ViolationType
from silahap.supervision.models import ActionKind

MEMBER_KINDS = {
    OrgUnit.Kind.IMMIGRATION_OFFICE,
    OrgUnit.Kind.SECTION,
    OrgUnit.Kind.TEAM,
}
FORMATS = {"csv", "xlsx"}


def period_of(request, unit) -> tuple[PeriodForm, Period | None]:
    form = PeriodForm({"p": request.GET.get("p", "")}, today=scope.today_for(unit))
    if form.is_valid():
        return form, form.cleaned_data["p"]
    return form, None


def period_links(period: Period) -> dict[str, str]:
    return {
        "previous": period.previous().param,
        "last_year": period.last_year().param,
        "month": period.param if period.kind == "month" else f"{period.end:%Y-%m}",
        "quarter": f"{period.end.year}-Q{(period.end.month - 1) // 3 + 1}",
        "year": str(period.end.year),
    }


class _CountryNames(dict):
    """Country names looked up as a table asks for them (about 15 rows), not all ~250 built
    and translated on every page."""

    def __init__(self):
        super().__init__()
        # One instance: it keeps its Indonesian names, built once per instance (a new one per
        # name built ~250 of them for each of a table's rows).
        self.countries = NationalityCountries()

    def __missing__(self, code: str) -> str:
        name = str(self.countries.name(code)) if code else ""
        self[code] = name or code
        return self[code]

    def get(self, code, default=None):
        return self[code] if code else default


def labels() -> dict[str, dict[str, str]]:
    return {
        "findings": dict(ViolationType.objects.values_list("code", "name")),
        "checks_by_nationality": _CountryNames(),
        "activities": dict(ActivityKind.choices),
        "checks": dict(CheckResult.choices),
        "tak": dict(ActionKind.choices),
    }


def tables(rows: Rows, period: Period) -> dict:
    found = labels()
    trend, lines = evaluation.trend_table(rows, period)
    broken_down = evaluation.breakdown_tables(
        ["findings", "checks_by_nationality"], rows, period, found
    )
    findings, nationalities = broken_down["findings"], broken_down["checks_by_nationality"]
    nationalities.rows = nationalities.rows[:15]
    return {
        "metric_table": evaluation.metric_table(rows, period),
        "trend": trend,
        "trend_lines": lines,
        "findings": findings,
        "findings_chart": charts.bars(findings.bars()),
        "nationalities": nationalities,
        "nationalities_chart": charts.bars(nationalities.bars()),
    }


def bad_period(request, template: str, context: dict) -> HttpResponse:
    return render(request, template, context, status=400)


def export_table(request, table: evaluation.Table, name: str, fmt: str | None = None):
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
