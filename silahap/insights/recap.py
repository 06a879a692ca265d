"""The unit's monthly recap (laporan bulanan pengawasan orang asing) as a PDF, by WeasyPrint.

The same tables as the evaluation page, for one month: the metrics beside the previous month and
the same month last year, twelve months of trend (SVG and table), findings by type and
nationality, follow-ups and TAK by type. Nothing is fetched over the network while rendering.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from silahap.accounts.models import OrgUnit
from silahap.insights import charts, evaluation
from silahap.insights.periods import Period
from silahap.insights.queries import Rows


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the recap fetches nothing: {url}")


def recap_pdf(*, unit: OrgUnit, period: Period, labels: dict[str, dict[str, str]]) -> bytes:
    from weasyprint import HTML

    rows = Rows(paths=(unit.path,))
    trend, lines = evaluation.trend_table(rows, period)
    findings = evaluation.breakdown_table("findings", rows, period, labels["findings"])
    nationalities = evaluation.breakdown_table(
        "checks_by_nationality", rows, period, labels["checks_by_nationality"]
    )
    nationalities.rows = nationalities.rows[:15]
    tak = evaluation.breakdown_table("tak", rows, period, labels["tak"])
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
            "findings_chart": charts.bars([(row[0], row[1]) for row in findings.rows]),
            "nationalities": nationalities,
            "tak": tak,
        },
    )
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
