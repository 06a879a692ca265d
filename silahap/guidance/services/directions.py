"""Directions (arahan): sending, reading, carrying out, notes and reminders.

Keyword-only, typed, one transaction, one audit event each; a repeated client_id returns the
first result and records nothing. A recipient's answers are given once: a correction is a note.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.audit import services as audit
from silahap.events import spine
from silahap.events.types import EventType
from silahap.guidance import config
from silahap.guidance.documents import check_attachment
from silahap.guidance.models import (
    AboutKind,
    Direction,
    DirectionNote,
    DirectionRecipient,
    Priority,
)
from silahap.idempotency.once import idempotent
from silahap.reports.models import Activity

Role = Membership.Role
# Who a direction to a unit reaches: its officers and leaders, acting holders (Plh/Plt) included.
RECEIVING_ROLES = (Role.OFFICER, Role.LEADER)


def _event(direction: Direction, type: str, by: User, **payload) -> None:
    spine.record(
        type=type,
        object_type="guidance.direction",
        object_id=direction.pk,
        actor_id=by.pk,
        unit_path=direction.unit.path,
        payload=payload,
    )


def resolve_recipients(
    *, unit: OrgUnit, units: Iterable[OrgUnit], people: Iterable[User], on: datetime.date
) -> list[int]:
    """Ids of whoever the direction reaches on the day: members of the units (and below) with
    a receiving role in force that day, and the people named; each once."""
    query = access.subtree_q(list(units))
    ids = set(
        Membership.objects.current(on)
        .filter(query, role__in=RECEIVING_ROLES, user__is_active=True)
        .values_list("user_id", flat=True)
    )
    ids.update(person.pk for person in people)
    return sorted(ids)


def _outsiders(people: list[User], unit: OrgUnit, on: datetime.date) -> list[User]:
    """People with no receiving membership in force in `unit` or below it."""
    inside = set(
        Membership.objects.current(on)
        .filter(
            user__in=people,
            unit__path__startswith=unit.path,
            role__in=RECEIVING_ROLES,
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
    )
    return [person for person in people if person.pk not in inside]


def _about(by: User, about_type: str, about_id: int | None) -> tuple[str, int | None]:
    if not about_type and about_id is None:
        return "", None
    if about_type not in AboutKind.values or about_id is None:
        raise ValidationError({"about_id": _("Choose what the direction is about and its number.")})
    try:
        model = apps.get_model(about_type)
    except LookupError:
        raise ValidationError({"about_type": _("This kind of record is not available.")}) from None
    if not model.objects.visible_to(by).filter(pk=about_id).exists():
        raise ValidationError(
            {
                "about_id": _("No %(kind)s number %(id)s that you can see.")
                % {"kind": AboutKind(about_type).label, "id": about_id}
            }
        )
    return about_type, about_id


@idempotent(Direction, owner="created_by")
@transaction.atomic
def direction_send(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    unit: OrgUnit,
    body: str,
    units: Iterable[OrgUnit] = (),
    people: Iterable[User] = (),
    priority: str = Priority.NORMAL,
    action_required: bool = True,
    due_date: datetime.date | None = None,
    about_type: str = "",
    about_id: int | None = None,
    attachment: bytes | None = None,
) -> Direction:
    """Give a direction from a unit the leader leads to people, teams or units within it."""
    if not access.can(by, "direct", unit):
        raise PermissionDenied("only a leader of this unit or above gives it directions")
    units, people = list(units), list(people)
    today = unit.local_today()
    body = body.strip()
    errors: dict[str, list] = {}
    if not body:
        errors.setdefault("body", []).append(_("Write the direction first."))
    if not units and not people:
        errors.setdefault("people", []).append(_("Choose at least one person, team or unit."))
    outside_units = [target for target in units if not target.is_within(unit)]
    if outside_units:
        errors.setdefault("units", []).append(
            _("These units are outside %(unit)s: %(names)s")
            % {"unit": unit, "names": ", ".join(str(u) for u in outside_units)}
        )
    outside_people = _outsiders(people, unit, today)
    if outside_people:
        errors.setdefault("people", []).append(
            _("These people are not members of %(unit)s: %(names)s")
            % {"unit": unit, "names": ", ".join(str(p) for p in outside_people)}
        )
    if due_date is not None and due_date < today:
        errors.setdefault("due_date", []).append(_("The due date cannot be in the past."))
    if priority not in Priority.values:
        errors.setdefault("priority", []).append(_("Choose normal or urgent."))
    if errors:
        raise ValidationError(errors)
    about_type, about_id = _about(by, about_type, about_id)
    recipient_ids = [
        pk
        for pk in resolve_recipients(unit=unit, units=units, people=people, on=today)
        if pk != by.pk
    ]
    if not recipient_ids:
        raise ValidationError({"units": _("Nobody but you is a member of the chosen units today.")})
    checked = None
    if attachment:
        checked = check_attachment(
            attachment, field="attachment", max_bytes=config.attachment_max_bytes()
        )
    direction = Direction(
        unit=unit,
        body=body,
        priority=priority,
        action_required=action_required,
        due_date=due_date,
        addressed={
            "units": sorted(u.pk for u in units),
            "people": sorted(p.pk for p in people),
        },
        about_type=about_type,
        about_id=about_id,
        sent_on=today,
        created_by=by,
        client_id=client_id,
    )
    if checked is not None:
        direction.attachment_content_type = checked.content_type
        direction.attachment_sha256 = checked.sha256
        direction.attachment.save(
            direction.attachment_key.hex, ContentFile(checked.data), save=False
        )
    direction.full_clean(exclude=["attachment", "client_id"])
    direction.save()
    DirectionRecipient.objects.bulk_create(
        [DirectionRecipient(direction=direction, user_id=pk) for pk in recipient_ids]
    )
    audit.record(
        action="direction.send",
        actor=by,
        target=direction,
        summary={
            "unit": unit.code,
            "priority": priority,
            "recipients": recipient_ids,
            "addressed": direction.addressed,
            "about": f"{about_type}#{about_id}" if about_type else "",
            "attachment": direction.attachment_sha256,
        },
    )
    _event(direction, EventType.DIRECTION_SENT, by, priority=priority, recipients=recipient_ids)
    return direction


def _own_row(by: User, direction: Direction) -> DirectionRecipient:
    row = (
        DirectionRecipient.objects.select_for_update().filter(direction=direction, user=by).first()
    )
    if row is None or not access.can(by, "answer", row):
        raise PermissionDenied("only a recipient answers a direction")
    return row


@transaction.atomic
def direction_acknowledge(*, by: User, direction: Direction) -> DirectionRecipient:
    """Say "read" (Sudah dibaca); a second press changes nothing."""
    row = _own_row(by, direction)
    if row.read_at is not None:
        return row
    row.read_at = timezone.now()
    row.save(update_fields=["read_at"])
    audit.record(action="direction.acknowledge", actor=by, target=direction)
    _event(direction, EventType.DIRECTION_ACKNOWLEDGED, by, user=by.pk)
    return row


@transaction.atomic
def direction_done(
    *, by: User, direction: Direction, note: str, activity: Activity | None = None
) -> DirectionRecipient:
    """Report a direction carried out, with a note and optionally the activity that did it."""
    row = _own_row(by, direction)
    if row.done_at is not None:
        raise ValidationError(
            {"note": _("You already marked this done; add a note to correct or complete it.")}
        )
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say in a few words what was done.")})
    if activity is not None and activity.report.officer_id != by.pk:
        raise ValidationError({"activity": _("Link one of your own activities.")})
    now = timezone.now()
    row.read_at = row.read_at or now
    row.done_at = now
    row.done_note = note
    row.done_activity = activity
    row.save(update_fields=["read_at", "done_at", "done_note", "done_activity"])
    audit.record(
        action="direction.done",
        actor=by,
        target=direction,
        summary={"activity": activity.pk if activity else None},
    )
    _event(direction, EventType.DIRECTION_DONE, by, user=by.pk)
    return row


@idempotent(DirectionNote, owner="author")
@transaction.atomic
def direction_note_add(
    *, by: User, client_id: uuid.UUID | None = None, direction: Direction, body: str
) -> DirectionNote:
    """Add a note to one's answer (a correction or more detail); earlier answers stay."""
    row = _own_row(by, direction)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the note first.")})
    note = DirectionNote.objects.create(recipient=row, author=by, body=body, client_id=client_id)
    audit.record(action="direction.note", actor=by, target=direction, summary={"note": note.pk})
    return note


@transaction.atomic
def direction_remind(*, by: User, direction: Direction) -> list[int]:
    """Remind the recipients who have not read it yet; returns who was reminded."""
    if not access.can(by, "follow", direction):
        raise PermissionDenied("only the sender or a leader above follows a direction up")
    unread = list(
        DirectionRecipient.objects.select_for_update()
        .filter(direction=direction, read_at__isnull=True)
        .values_list("user_id", flat=True)
    )
    if not unread:
        raise ValidationError(_("Everyone has read this direction; nobody to remind."))
    DirectionRecipient.objects.filter(direction=direction, user_id__in=unread).update(
        reminded_at=timezone.now()
    )
    audit.record(action="direction.remind", actor=by, target=direction, summary={"users": unread})
    _event(direction, EventType.DIRECTION_REMINDED, by, users=unread)
    return unread
