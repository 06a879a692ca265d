"""Comments on a report or an activity."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.reports.models import (
    Activity,
    Comment,
    DailyReport,
)


@idempotent(Comment, owner="author")
@transaction.atomic
def comment_create(
    *,
    by: User,
    client_id: uuid.UUID,
    report: DailyReport,
    body: str,
    activity: Activity | None = None,
) -> Comment:
    """Comment on a report or one of its activities: its author and the leaders above may."""
    existing = Comment.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.author_id != by.pk:
            raise PermissionDenied("that comment belongs to someone else")
        return existing
    if not access.can(by, "comment", report):
        raise PermissionDenied("only the author and the leaders above comment on a report")
    if activity is not None and activity.report_id != report.pk:
        raise ValidationError({"activity": _("That activity belongs to another report.")})
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    comment = Comment.objects.create(
        report=report, activity=activity, client_id=client_id, author=by, body=body
    )
    audit.record(
        action="comment.create",
        actor=by,
        target=comment,
        summary={"report": report.pk, "activity": activity.pk if activity else None},
    )
    spine.record_about(
        comment,
        type=EventType.COMMENT_POSTED,
        by=by,
        unit=report.unit,
        payload={"report": report.pk, "activity": activity.pk if activity else None},
    )
    return comment
