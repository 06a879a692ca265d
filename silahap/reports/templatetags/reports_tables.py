"""The review queue's cards, written in one pass: the markup its template loop gave, without a
template variable lookup and filter per field (with 200 reports the loop was most of the page)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from silahap import markup

register = template.Library()


@register.simple_tag
def review_queue_cards(reports: Iterable[Any]) -> SafeString:
    """Each report's card: officer, day, late and version badges, unit, counts, submit time and
    findings; the reports (DailyReport) carry activity_count, finding_count, overstay_count."""
    href = markup.url_by_id("reports:report_detail")
    late = f'<span class="badge late">{markup.translate("Late")}</span>'
    submitted = markup.translate("submitted")
    written = []
    for report in reports:
        version = (
            '<span class="badge">'
            + markup.blocktranslate("version %(number)s", number=report.revision_number)
            + "</span>"
            if report.revision_number > 1
            else ""
        )
        findings = ""
        if report.finding_count:
            overstays = (
                " · " + markup.count("%(n)s overstay", "%(n)s overstays", report.overstay_count)
                if report.overstay_count
                else ""
            )
            findings = (
                '<div class="meta" data-testid="queue-findings"><strong>'
                + markup.count("%(n)s finding", "%(n)s findings", report.finding_count)
                + f"</strong>{overstays}</div>"
            )
        activities = markup.count("%(n)s activity", "%(n)s activities", report.activity_count)
        written.append(
            f'\n<a class="activity-card" href="{href(report.pk)}" data-testid="queue-report">\n'
            f"  <strong>{markup.text(report.officer.full_name)}</strong> · "
            f"{markup.date(report.report_date, 'D, j M Y')}\n"
            f"  {late if report.is_late else ''}\n"
            f"  {version}\n"
            f'  <div class="meta">{markup.text(report.unit.name)} · {activities} · {submitted} '
            f"{markup.date(report.submitted_at, 'j M H:i')}</div>\n"
            f"  {findings}\n"
            "</a>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 - every value above is escaped
