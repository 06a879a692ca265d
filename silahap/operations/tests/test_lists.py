"""Every list and page of operations reads a fixed number of queries, at two data sizes; the
standing team's meeting form records attendance and follow-up items."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from silahap.accounts.models import Agency
from silahap.operations.models import Meeting, Operation
from silahap.operations.services import teams
from silahap.operations.tests.helpers import joint_operation
from silahap.registry.models import Regency

pytestmark = pytest.mark.django_db


def timpora(people):
    team = teams.team_create(
        by=people.head_a,
        client_id=uuid.uuid4(),
        unit=people.office_a,
        kind="timpora",
        level="regency",
        regency=Regency.objects.get(code="36.71"),
        name="Timpora Kota Tangerang",
        decree_number="KEP-1",
        decree_date=datetime.date(2026, 1, 5),
        mandate_start=datetime.date(2026, 1, 5),
        mandate_end=datetime.date(2026, 12, 31),
        agencies=Agency.objects.filter(code__in=["polri", "bnn"]),
    )
    teams.team_member_add(by=people.head_a, team=team, user=people.partner)
    return team


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("leader_a", "operations:operation_list"),
        ("partner", "operations:operation_list"),
        ("analyst", "operations:team_list"),
        ("analyst_national", "operations:national_list"),
    ],
)
def test_lists_read_a_fixed_number_of_queries(
    client, people, size, name, url, django_assert_max_num_queries
):
    for index in range(size):
        joint_operation(people, number=f"OPS-{index}")
        team = timpora(people)
        team.name = f"Timpora {index}"
        team.save(update_fields=["name"])
    client.force_login(getattr(people, name))
    with django_assert_max_num_queries(12):
        assert client.get(reverse(url)).status_code == 200


@pytest.mark.parametrize("meetings", [1, 4])
def test_the_team_page_reads_a_fixed_number_of_queries(
    client, people, meetings, django_assert_max_num_queries
):
    team = timpora(people)
    for index in range(meetings):
        teams.meeting_record(
            by=people.head_a,
            team=team,
            held_at=timezone.now() - datetime.timedelta(days=index),
            place="Aula",
            agenda=f"Rapat {index}",
            attendance=[teams.Attendance("", 3), teams.Attendance("polri", 1)],
            decisions=[teams.DecisionInput("Butir", people.partner, datetime.date(2026, 2, 1))],
        )
    client.force_login(people.head_a)
    with django_assert_max_num_queries(25):
        assert client.get(team.get_absolute_url()).status_code == 200


def test_the_meeting_form_records_attendance_and_items(client, people):
    team = timpora(people)
    client.force_login(people.head_a)
    response = client.post(
        reverse("operations:meeting_record", args=[team.pk]),
        {
            "client_id": str(uuid.uuid4()),
            "held_at": "2026-02-10T09:00",
            "place": "Aula Kanim",
            "agenda": "Rencana operasi",
            "present_immigration": "4",
            "present_polri": "2",
            "decision_0": "Data TKA",
            "owner_0": str(people.partner.pk),
            "due_0": "2026-02-20",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.attendance.count() == 2
    assert meeting.decisions.get().owner == people.partner
    # Stored in UTC from the office's local time (WIB).
    assert meeting.held_at.hour == 2


def test_the_start_command_marks_due_operations_running(people):
    start = timezone.now() - datetime.timedelta(minutes=5)
    operation = joint_operation(people, starts_at=start, ends_at=start + datetime.timedelta(days=1))
    out = io.StringIO()
    call_command("operations_start_due", stdout=out)
    assert "1 operation" in out.getvalue()
    assert Operation.objects.get(pk=operation.pk).status == "running"
