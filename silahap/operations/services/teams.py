"""Standing teams, their members, coordination meetings and the follow-up items they decide."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import Agency, OrgUnit, User
from silahap.audit import services as audit
from silahap.events.types import EventType
from silahap.idempotency.once import idempotent
from silahap.operations.models import Decision, Meeting, MeetingAttendance, Team, TeamMember
from silahap.operations.services.common import member_refusal, record_event
from silahap.registry.models import District, Province, Regency


@idempotent(Team, owner="created_by")
@transaction.atomic
def team_create(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    unit: OrgUnit,
    kind: str,
    level: str,
    name: str,
    decree_number: str,
    decree_date: datetime.date,
    mandate_start: datetime.date,
    mandate_end: datetime.date,
    province: Province | None = None,
    regency: Regency | None = None,
    district: District | None = None,
    chair: User | None = None,
    agencies: Iterable[Agency] = (),
) -> Team:
    """Form a standing team by decree (Timpora at a level with its area, or a task force)."""
    access.require(by, "form_team", unit)
    if mandate_end < mandate_start:
        raise ValidationError(
            {"mandate_end": _("The mandate cannot end before it starts: fix the dates.")}
        )
    area = {"province": province, "regency": regency, "district": district}.get(level)
    if area is None:
        raise ValidationError(
            {
                level if level in ("province", "regency", "district") else "level": _(
                    "Choose the area of the team's level (province, regency/city or district)."
                )
            }
        )
    team = Team(
        unit=unit,
        kind=kind,
        level=level,
        name=name.strip(),
        province=province if level == "province" else None,
        regency=regency if level == "regency" else None,
        district=district if level == "district" else None,
        chair=chair,
        decree_number=decree_number.strip(),
        decree_date=decree_date,
        mandate_start=mandate_start,
        mandate_end=mandate_end,
        created_by=by,
        client_id=client_id,
    )
    team.full_clean(exclude=["client_id"])
    team.save()
    team.agencies.set(list(agencies))
    if chair is not None:
        TeamMember.objects.create(team=team, user=chair, agency=chair.agency, position=_("Chair"))
    audit.record(
        action="team.create",
        actor=by,
        target=team,
        summary={"name": team.name, "level": level, "decree": team.decree_number},
    )
    record_event(EventType.TEAM_CREATED, target=team, by=by, level=level, kind=kind)
    return team


@transaction.atomic
def team_member_add(*, by: User, team: Team, user: User, position: str = "") -> TeamMember:
    """Add immigration staff of the team's unit or below, or a member of a member agency."""
    access.require(by, "manage", team)
    codes = set(team.agencies.values_list("code", flat=True))
    refusal = member_refusal(user=user, unit=team.unit, agency_codes=codes)
    if refusal:
        raise ValidationError({"user": refusal})
    member, created = TeamMember.objects.get_or_create(
        team=team, user=user, defaults={"agency": user.agency, "position": position.strip()}
    )
    if created:
        audit.record(action="team.member_add", actor=by, target=team, summary={"user": user.pk})
        record_event(EventType.TEAM_UPDATED, target=team, by=by, member_added=user.pk)
    return member


@dataclass(frozen=True)
class Attendance:
    agency: str  # blank: immigration
    present: int
    names: str = ""


@dataclass(frozen=True)
class DecisionInput:
    text: str
    owner: User | None = None
    due_date: datetime.date | None = None


@idempotent(Meeting, owner="recorded_by")
@transaction.atomic
def meeting_record(
    *,
    by: User,
    client_id: uuid.UUID | None = None,
    team: Team,
    held_at: datetime.datetime,
    place: str,
    agenda: str,
    minutes: str = "",
    attendance: Iterable[Attendance] = (),
    decisions: Iterable[DecisionInput] = (),
) -> Meeting:
    """Record a coordination meeting: attendance per agency, minutes, decisions and items."""
    access.require(by, "manage", team)
    meeting = Meeting(
        team=team,
        held_at=held_at,
        place=place.strip(),
        agenda=agenda.strip(),
        minutes=minutes.strip(),
        recorded_by=by,
        client_id=client_id,
    )
    meeting.full_clean(exclude=["client_id"])
    meeting.save()
    seen: set[str] = set()
    for row in attendance:
        if row.agency in seen:
            raise ValidationError({"attendance": _("Each agency is listed once.")})
        seen.add(row.agency)
        MeetingAttendance.objects.create(
            meeting=meeting, agency=row.agency, present=row.present, names=row.names.strip()
        )
    for item in decisions:
        if (item.owner is None) != (item.due_date is None):
            raise ValidationError(
                {"decisions": _("A follow-up item needs both an owner and a due date.")}
            )
        Decision.objects.create(
            meeting=meeting, text=item.text.strip(), owner=item.owner, due_date=item.due_date
        )
    audit.record(
        action="meeting.record",
        actor=by,
        target=meeting,
        summary={"team": team.pk, "held_at": held_at.isoformat()},
    )
    record_event(EventType.MEETING_RECORDED, target=team, by=by, meeting=meeting.pk)
    return meeting


@transaction.atomic
def decision_complete(*, by: User, decision: Decision) -> Decision:
    """Mark a follow-up item of a meeting done: its owner or a leader of the team's unit."""
    if not access.can(by, "complete", decision):
        raise PermissionDenied("only the owner or a leader completes this item")
    if decision.done_at is None:
        decision.done_at = timezone.now()
        decision.done_by = by
        decision.save(update_fields=["done_at", "done_by"])
        audit.record(action="decision.complete", actor=by, target=decision)
    return decision
