"""What supervision does when the lower layers report something: tell the people concerned.

Registered on the event spine (silahap.events.spine); each runs once per event, after the write
that recorded it has committed, in the task worker.
"""

from __future__ import annotations

from silahap.accounts.models import User
from silahap.events import spine
from silahap.events.models import BusinessEvent
from silahap.events.types import EventType
from silahap.reports.models import DailyReport, Finding
from silahap.supervision import services, tasks
from silahap.supervision.models import Notification


@spine.subscribe(EventType.REPORT_SUBMITTED, name="supervision.notify_reviewers")
def notify_reviewers(event: BusinessEvent) -> None:
    tasks.notify_report_submitted.call(int(event.object_id), event.payload["revision"])


@spine.subscribe(EventType.REPORT_APPROVED, name="supervision.notify_officer_approved")
@spine.subscribe(EventType.REPORT_RETURNED, name="supervision.notify_officer_returned")
def notify_officer_of_decision(event: BusinessEvent) -> None:
    tasks.notify_report_decided.call(int(event.object_id), event.payload["revision"])


@spine.subscribe(EventType.REPORT_APPROVED, name="supervision.close_review_notices_approved")
@spine.subscribe(EventType.REPORT_RETURNED, name="supervision.close_review_notices_returned")
def close_review_notices(event: BusinessEvent) -> None:
    """A decided report is no longer waiting: its "submitted" notices leave every bell."""
    report = DailyReport.objects.filter(pk=event.object_id).first()
    if report is not None:
        services.notifications_closed(
            kind=Notification.Kind.REPORT_SUBMITTED, url=report.get_absolute_url()
        )


@spine.subscribe(EventType.TASK_ASSIGNED, name="supervision.notify_assignees")
def notify_assignees(event: BusinessEvent) -> None:
    tasks.notify_task_assigned.call(int(event.object_id))


@spine.subscribe(EventType.UNUSUAL_ACCESS_DETECTED, name="supervision.notify_unusual_access")
def notify_unusual_access(event: BusinessEvent) -> None:
    tasks.notify_unusual_access.call(int(event.object_id))


@spine.subscribe(EventType.IMPORT_FINISHED, name="supervision.notify_importer")
def notify_importer(event: BusinessEvent) -> None:
    tasks.notify_import_finished.call(int(event.object_id))


@spine.subscribe(EventType.MEMBERSHIP_GRANTED, name="supervision.notify_access_granted")
def notify_access_granted(event: BusinessEvent) -> None:
    tasks.notify_access_granted.call(
        int(event.object_id), event.actor_id, event.payload["audit_event"]
    )


@spine.subscribe(EventType.FINDING_RECORDED, name="supervision.open_followup")
def open_followup(event: BusinessEvent) -> None:
    """A finding opens its follow-up case, so it cannot be forgotten (DESIGN.md §2)."""
    finding = (
        Finding.objects.select_related("activity__report__unit").filter(pk=event.object_id).first()
    )
    if finding is None:
        return  # withdrawn by its author before this ran (reports.services.activities)
    services.followup_open(finding=finding, by=User.objects.get(pk=event.actor_id))
