"""Standing teams per level with official area codes, members, and coordination meetings whose
decisions become follow-up items with an owner and a due date."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from silahap.accounts.models import Agency
from silahap.events.models import BusinessEvent
from silahap.operations.models import Meeting, Team
from silahap.operations.services import teams
from silahap.registry.models import District, Regency

pytestmark = pytest.mark.django_db


def timpora(people, **extra) -> Team:
    values = dict(
        unit=people.office_a,
        kind="timpora",
        level="regency",
        regency=Regency.objects.get(code="36.71"),
        name="Timpora Kota Tangerang",
        decree_number="KEP-12/TIMPORA/2026",
        decree_date=datetime.date(2026, 1, 5),
        mandate_start=datetime.date(2026, 1, 5),
        mandate_end=datetime.date(2026, 12, 31),
        chair=people.head_a,
        agencies=Agency.objects.filter(code__in=["polri", "satpol_pp", "disnaker", "bnn"]),
    )
    values.update(extra)
    return teams.team_create(by=people.head_a, client_id=uuid.uuid4(), **values)


def test_a_regency_timpora_is_linked_to_its_area_and_chaired_by_the_head(people):
    team = timpora(people)
    assert team.area.code == "36.71"
    assert team.members.get(user=people.head_a).position
    assert BusinessEvent.objects.filter(type="team.created", object_id=str(team.pk)).exists()


def test_a_district_team_needs_its_district(people):
    with pytest.raises(ValidationError):
        timpora(people, level="district", name="Satgaspora Cipondoh")
    district = District.objects.filter(regency_id="36.71").first()
    team = timpora(people, level="district", district=district, name="Satgaspora")
    assert team.area == district


def test_a_mandate_ending_before_it_starts_is_refused(people):
    with pytest.raises(ValidationError) as error:
        timpora(people, mandate_end=datetime.date(2025, 1, 1))
    assert "mandate_end" in error.value.message_dict
    assert not Team.objects.exists()


def test_only_a_leader_of_the_unit_forms_a_team(people):
    with pytest.raises(PermissionDenied):
        teams.team_create(
            by=people.leader_b,
            unit=people.office_a,
            kind="timpora",
            level="regency",
            regency=Regency.objects.get(code="36.71"),
            name="X",
            decree_number="K",
            decree_date=datetime.date(2026, 1, 1),
            mandate_start=datetime.date(2026, 1, 1),
            mandate_end=datetime.date(2026, 2, 1),
        )


def test_partner_members_come_from_member_agencies(people):
    team = timpora(people, agencies=Agency.objects.filter(code="polri"))
    teams.team_member_add(by=people.head_a, team=team, user=people.partner)
    with pytest.raises(ValidationError):
        teams.team_member_add(by=people.head_a, team=team, user=people.partner_bnn)
    with pytest.raises(ValidationError):
        teams.team_member_add(by=people.head_a, team=team, user=people.officer_b)


def test_a_meeting_records_attendance_and_turns_decisions_into_items(people):
    team = timpora(people)
    meeting = teams.meeting_record(
        by=people.head_a,
        client_id=uuid.uuid4(),
        team=team,
        held_at=timezone.now() - datetime.timedelta(days=7),
        place="Aula Kanim Tangerang",
        agenda="Rencana operasi gabungan",
        minutes="Disepakati operasi gabungan tiga hari.",
        attendance=[teams.Attendance("", 6), teams.Attendance("polri", 2, "AKP Budi")],
        decisions=[
            teams.DecisionInput("Operasi gabungan minggu depan"),
            teams.DecisionInput(
                "Data TKA dari Disnaker", owner=people.officer_a, due_date=datetime.date(2026, 2, 1)
            ),
        ],
    )
    assert meeting.attendance.count() == 2
    item = meeting.decisions.get(owner=people.officer_a)
    assert item.is_item
    with pytest.raises(PermissionDenied):
        teams.decision_complete(by=people.officer_a2, decision=item)
    teams.decision_complete(by=people.officer_a, decision=item)
    item.refresh_from_db()
    assert item.done_at is not None


def test_an_item_without_a_due_date_is_refused_and_nothing_is_saved(people):
    team = timpora(people)
    with pytest.raises(ValidationError):
        teams.meeting_record(
            by=people.head_a,
            team=team,
            held_at=timezone.now(),
            place="Aula",
            agenda="Rapat",
            decisions=[teams.DecisionInput("Data TKA", owner=people.officer_a)],
        )
    assert not Meeting.objects.exists()
