"""Completion: the leader's matrix, reminders, the XLSX export and the rates for insights."""

import datetime
import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from silahap.guidance import completion
from silahap.guidance.services import library
from silahap.guidance.services.completion import training_remind
from silahap.guidance.tests.helpers import tiny_pdf
from silahap.supervision.models import Notification
from silahap.testing.worker import run_queued

pytestmark = pytest.mark.django_db


def required_sop(people, title="Pengawasan lapangan"):
    return library.sop_create(
        by=people.leader_a,
        client_id=uuid.uuid4(),
        title=title,
        category="field",
        number="3",
        effective_date=datetime.date(2025, 1, 1),
        data=tiny_pdf(),
        required_roles=["officer"],
    )


def test_the_matrix_shows_who_read_which_version(people):
    sop = required_sop(people)
    library.sop_acknowledge(by=people.officer_a, version=sop.versions.get())
    items, rows = completion.matrix([people.section_a])
    by_name = {row.user.username: row.cells[0] for row in rows}
    assert [item.title for item in items] == ["Pengawasan lapangan"]
    assert by_name["officer_a"].done_at is not None
    assert by_name["officer_a"].version == "3"
    assert by_name["officer_a2"].done_at is None
    assert not by_name["leader_a"].required


def test_reminding_tells_only_those_behind(people, django_capture_on_commit_callbacks):
    sop = required_sop(people)
    library.sop_acknowledge(by=people.officer_a, version=sop.versions.get())
    with django_capture_on_commit_callbacks(execute=True):
        behind = training_remind(by=people.leader_a, unit=people.section_a)
    run_queued()
    assert list(behind) == [people.officer_a2.pk]
    notes = Notification.objects.filter(kind="training_reminder")
    assert [n.recipient.username for n in notes] == ["officer_a2"]


def test_an_officer_cannot_remind(people):
    required_sop(people)
    with pytest.raises(PermissionDenied):
        training_remind(by=people.officer_a, unit=people.team_a)


def test_the_export_is_a_workbook_of_the_matrix(client, people):
    required_sop(people)
    client.force_login(people.leader_a)
    response = client.get(reverse("guidance:completion_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][2] == "Pengawasan lapangan"
    assert {row[1] for row in rows[1:]} >= {"officer_a", "officer_a2"}


def test_rates_per_unit(people):
    sop = required_sop(people)
    library.sop_acknowledge(by=people.officer_a, version=sop.versions.get())
    rates = completion.completion_rates([people.team_a, people.section_b])
    assert rates[people.team_a.pk] == 0.5
    assert rates[people.section_b.pk] == 0.0


@pytest.mark.parametrize("size", [1, 4])
def test_the_matrix_costs_the_same_at_any_size(client, people, size, django_assert_max_num_queries):
    for index in range(size):
        required_sop(people, title=f"SOP {index}")
    client.force_login(people.leader_a)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("guidance:completion_matrix")).status_code == 200
