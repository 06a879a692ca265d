"""The leader's comment on a unit's monthly recap: written by a leader of that unit, audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import OrgUnit, User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.insights.models import RecapComment

MAX_LENGTH = 2000


@transaction.atomic
def recap_comment_save(*, by: User, unit: OrgUnit, month: datetime.date, text: str) -> RecapComment:
    """Write (or rewrite) the comment on `unit`'s month; saving the same text twice changes
    nothing the second time (a double submit), yet each change is audited."""
    access.require(by, "comment_recap", unit)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    if len(text) > MAX_LENGTH:
        raise ValidationError({"text": _("At most %(count)d characters.") % {"count": MAX_LENGTH}})
    month = month.replace(day=1)
    comment = RecapComment.objects.select_for_update().filter(unit=unit, month=month).first()
    if comment is not None and comment.text == text:
        return comment
    created = comment is None
    if comment is None:
        comment = RecapComment.objects.create(unit=unit, month=month, text=text, author=by)
    else:
        comment.text = text
        comment.author = by
        comment.save(update_fields=["text", "author", "updated_at"])
    audit.record(
        action="recap_comment.save",
        actor=by,
        target=comment,
        summary={"unit": unit.code, "month": f"{month:%Y-%m}", "created": created},
    )
    spine.record_about(
        comment,
        type=EventType.RECAP_COMMENT_SAVED,
        by=by,
        unit=unit,
        payload={"month": f"{month:%Y-%m}"},
    )
    return comment
