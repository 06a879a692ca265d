"""The live board's lists, written in one pass: the markup their template loops gave, without a
template variable lookup and filter per field (the loops were most of the board's rendering).
The activity rows are also the poll's (`board_feed`), so both stay one markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString

from silahap import markup

register = template.Library()


@register.simple_tag
def board_activity_rows(activities: Iterable[Any]) -> SafeString:
    """Today's activities (Activity with `point` and `show_details` set by the view)."""
    href = markup.url_by_id("reports:activity_detail")
    hidden = " · " + markup.translate("Closed (intelligence) activity: details hidden.")
    rows = []
    for activity in activities:
        point = activity.point
        located = (
            f' data-lat="{markup.text(point["lat"])}" data-lng="{markup.text(point["lng"])}"'
            f' data-label="{markup.text(point["label"])}"'
            if point
            else ""
        )
        if activity.show_details:
            place = f" · {markup.text(activity.place.name)}" if activity.place else ""
        else:
            place = hidden
        rows.append(
            f'\n<li class="board-activity" data-testid="board-activity"'
            f' data-activity="{markup.text(activity.pk)}"{located}>\n'
            f'  <a href="{href(activity.pk)}"><strong>{markup.time(activity.started_at, "H:i")}'
            f"</strong> {markup.text(activity.report.officer)}</a>\n"
            f'  <span class="muted">· {markup.text(activity.get_kind_display())}{place}</span>\n'
            "</li>"
        )
    return markup.written(rows)


@register.simple_tag
def board_officer_rows(officers: Iterable[Any]) -> SafeString:
    """Who has filed today (queries.OfficerDay): state badge and activity count."""
    late = f' <span class="badge late">{markup.translate("late")}</span>'
    missing = f'<span class="badge late">{markup.translate("missing")}</span>\n          '
    not_yet = f'<span class="badge draft">{markup.translate("not yet")}</span>'
    activities = markup.translate("activities")
    rows = []
    for row in officers:
        state = row.state
        if state == "filed":
            report = row.report
            badge = (
                f'<span class="badge {markup.text(report.status)}">'
                f"{markup.text(report.get_status_display())}</span>"
                f"{late if report.is_late else ''}\n          "
            )
        elif state == "absent":
            badge = (
                f'<span class="badge">{markup.text(row.absence.get_kind_display())}</span>'
                "\n          "
            )
        elif state == "missing":
            badge = missing
        else:
            badge = not_yet
        rows.append(
            '\n    <tr data-testid="officer-row"'
            f' data-officer="{markup.text(row.officer.username)}"'
            f' data-state="{markup.text(state)}">\n'
            f"      <td>{markup.text(row.officer)}</td>\n"
            f'      <td data-field="state">{badge}</td>\n'
            f'      <td class="muted" data-field="activities">{markup.text(row.activity_count)} '
            f"{activities}</td>\n"
            "    </tr>\n  "
        )
    return markup.written(rows)


@register.simple_tag
def board_queue_rows(reports: Iterable[Any]) -> SafeString:
    """Waiting for review (DailyReport with `activity_count`)."""
    href = markup.url_by_id("reports:report_detail")
    activities = markup.translate("activities")
    return markup.written(
        [
            f'\n    <li><a href="{href(report.pk)}">{markup.text(report.officer)} · '
            f'{markup.date(report.report_date, "d-m-Y")}</a> <span class="muted">'
            f"{markup.text(report.activity_count)} {activities}</span></li>\n  "
            for report in reports
        ]
    )


@register.simple_tag
def board_missing_rows(missing: Iterable[Any]) -> SafeString:
    """Missing reports (queries.MissingReport)."""
    return markup.written(
        [
            '\n    <li data-testid="missing-row"'
            f' data-officer="{markup.text(row.officer.username)}"'
            f' data-day="{markup.date(row.day, "Y-m-d")}">{markup.date(row.day, "D d-m")} · '
            f"{markup.text(row.officer)}</li>\n  "
            for row in missing
        ]
    )


@register.simple_tag
def board_late_rows(reports: Iterable[Any]) -> SafeString:
    """Late reports (DailyReport)."""
    href = markup.url_by_id("reports:report_detail")
    return markup.written(
        [
            f'\n    <li><a href="{href(report.pk)}">{markup.date(report.report_date, "D d-m")} · '
            f"{markup.text(report.officer)}</a></li>\n  "
            for report in reports
        ]
    )


@register.simple_tag
def board_step_rows(steps: Iterable[Any]) -> SafeString:
    """Overdue follow-up steps (FollowUpStep with its assignee)."""
    href = markup.url_by_id("supervision:followup_detail")
    rows = []
    for step in steps:
        assignee = f" · {markup.text(step.assignee)}" if step.assignee else ""
        rows.append(
            f'\n    <li><a href="{href(step.followup_id)}">#{markup.text(step.followup_id)} · '
            f"{markup.text(step.get_kind_display())}</a> · "
            f"{markup.date(step.due_date, 'd-m-Y')}{assignee}</li>\n  "
        )
    return markup.written(rows)
