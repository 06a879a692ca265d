"""Who may act on reports and activities (DESIGN.md §3), registered with accounts.access.can."""

from silahap.accounts import access
from silahap.accounts.access import rule
from silahap.reports.models import Activity, Check, DailyReport, Evidence, Finding, ReportStatus

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


@rule(DailyReport, "read")
def may_read_report(user, report: DailyReport) -> bool:
    """The author, and leaders and analysts of the report's unit or above (DESIGN.md §3)."""
    return report.officer_id == user.pk or access.supervises(user, report.unit)


@rule(Activity, "read")
def may_read_activity(user, activity: Activity) -> bool:
    return may_read_report(user, activity.report)


def may_read_activity_part(user, part: Check | Finding | Evidence) -> bool:
    """A check, finding or photo is read where its activity's report is."""
    return may_read_report(user, part.activity.report)


rule(Check, "read")(may_read_activity_part)
rule(Finding, "read")(may_read_activity_part)
rule(Evidence, "read")(may_read_activity_part)


@rule(DailyReport, "edit")
def may_edit_report(user, report: DailyReport) -> bool:
    return report.officer_id == user.pk and report.status in EDITABLE


@rule(DailyReport, "submit")
def may_submit_report(user, report: DailyReport) -> bool:
    return report.officer_id == user.pk and report.status in EDITABLE


@rule(DailyReport, "decide")
def may_decide_report(user, report: DailyReport) -> bool:
    """A current leader (acting included) of the report's unit or above; never the author."""
    return report.officer_id != user.pk and access.leads(user, report.unit)


@rule(DailyReport, "revise")
def may_revise_report(user, report: DailyReport) -> bool:
    return report.officer_id == user.pk and report.status == ReportStatus.APPROVED


@rule(DailyReport, "comment")
def may_comment_report(user, report: DailyReport) -> bool:
    return report.officer_id == user.pk or access.leads(user, report.unit)


@rule(Activity, "read_details")
def may_read_activity_details(user, activity: Activity) -> bool:
    """Closed (intelligence) activities: only the author and the leaders above."""
    if not activity.is_closed:
        return True
    return activity.report.officer_id == user.pk or access.leads(user, activity.report.unit)
