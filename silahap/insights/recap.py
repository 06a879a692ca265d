"""The unit's monthly recap (laporan bulanan pengawasan orang asing) as a PDF, by WeasyPrint.

The same tables as the evaluation page, for one month: the metrics beside the previous month and
the same month last year, twelve months of trend (SVG and table), findings by type and
nationality, follow-ups opened and closed, TAK by type, the operations of the month (those the
reader may see, led by the unit or below) and the leader's comment on the month. Nothing is
fetched over the network while rendering.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from silahap.accounts.models import OrgUnit
from silahap.insights import charts, evaluation, metrics, queries
from silahap.insights.models import RecapComment
from silahap.insights.periods import Period
from silahap.insights.queries import Rows
from silahap.operations.models import Operation


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the recap fetches nothing: {url}")


def month_operations(user, unit: OrgUnit, period: Period) -> list[Operation]:
    """Operations led by the unit or below that ran during the period (not cancelled), as far
    as `user` may see them."""
    return list(
        Operation.objects.visible_to(user)
        .filter(unit__path__startswith=unit.path)
        .filter(starts_at__date__lte=period.end, ends_at__date__gte=period.start)
        .exclude(status=Operation.Status.CANCELLED)
        .select_related("unit")
        .order_by("starts_at", "pk")[:50]
    )


def followups(rows: Rows, period: Period) -> list[tuple[str, object]]:
    wanted = [metrics.BY_KEY["followups_opened"], metrics.BY_KEY["followups_closed"]]
    values = queries.measure(wanted, rows=rows, start=period.start, end=period.end)[None]
    return [(metric.label, values.get(metric.key) or 0) for metric in wanted]


def recap_pdf(*, user, unit: OrgUnit, period: Period, labels: dict[str, dict[str, str]]) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 -- ~1 s to import; only the PDF path needs it

    rows = Rows(paths=(unit.path,))
    trend, lines = evaluation.trend_table(rows, period)
    broken_down = evaluation.breakdown_tables(
        ["findings", "checks_by_nationality", "tak"], rows, period, labels
    )
    findings = broken_down["findings"]
    nationalities = broken_down["checks_by_nationality"]
    nationalities.rows = nationalities.rows[:15]
    tak = broken_down["tak"]
    html = render_to_string(
        "insights/recap.html",
        {
            "unit": unit,
            "period": period,
            "made_at": timezone.now(),
            "metric_table": evaluation.metric_table(rows, period),
            "trend": trend,
            "trend_lines": lines,
            "findings": findings,
            "findings_chart": charts.bars(findings.bars()),
            "nationalities": nationalities,
            "tak": tak,
            "followups": followups(rows, period),
            "operations": month_operations(user, unit, period),
            "comment": RecapComment.objects.filter(unit=unit, month=period.start).first(),
        },
    )
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
