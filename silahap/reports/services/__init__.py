"""Every write to daily reports and their activities, checks, findings, evidence and comments.

State changes happen only here: report_submit, report_approve, report_return and report_revise.
Each is keyword-only, runs in one transaction, raises PermissionDenied or ValidationError when
not allowed, and records one audit event and its spine event.

One module per thing written: the daily report and the leader's decisions (daily), activities,
checks, findings, evidence, comments. Callers use this package: `services.report_submit(...)`.

Corrections (change or remove while a report is a draft or returned) run under the report's lock;
a repeat of a removal that already happened (a double tap waiting on the lock) does nothing.
Removed rows leave the database, but not the record: the audit event keeps what was removed (a
photo's SHA-256 and stored files), every earlier revision keeps its frozen snapshot, and a
photo's files stay in storage, so nothing an approved revision showed is physically lost.
"""

from silahap.reports.services.activities import (
    ACTIVITY_CONSTRAINTS,
    ACTIVITY_FIELDS,
    activity_create,
    activity_create_at_new_place,
    activity_delete,
    activity_update,
)
from silahap.reports.services.checks import (
    CHECK_FIELDS,
    check_create,
    check_create_for_new_person,
    check_delete,
    check_identity_confirm,
    check_update,
)
from silahap.reports.services.comments import comment_create
from silahap.reports.services.daily import (
    REPORTING_ROLES,
    local_date,
    report_approve,
    report_open,
    report_return,
    report_revise,
    report_submit,
    reporting_unit,
    submit_deadline,
    submit_problems,
)
from silahap.reports.services.evidence import (
    evidence_add,
    evidence_delete,
    evidence_original_add,
)
from silahap.reports.services.findings import (
    FINDING_FIELDS,
    finding_create,
    finding_delete,
    finding_update,
)

__all__ = [
    "ACTIVITY_CONSTRAINTS",
    "ACTIVITY_FIELDS",
    "CHECK_FIELDS",
    "FINDING_FIELDS",
    "REPORTING_ROLES",
    "activity_create",
    "activity_create_at_new_place",
    "activity_delete",
    "activity_update",
    "check_create",
    "check_create_for_new_person",
    "check_delete",
    "check_identity_confirm",
    "check_update",
    "comment_create",
    "evidence_add",
    "evidence_delete",
    "evidence_original_add",
    "finding_create",
    "finding_delete",
    "finding_update",
    "local_date",
    "report_approve",
    "report_open",
    "report_return",
    "report_revise",
    "report_submit",
    "reporting_unit",
    "submit_deadline",
    "submit_problems",
]
