"""visible_to(user) and can(user, "read", obj) answer the same for operations and standing teams,
for every persona (the four partner agencies included) and every kind of record."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from silahap.accounts import access
from silahap.accounts.models import Agency
from silahap.operations.models import Operation, Team
from silahap.operations.services import national, teams
from silahap.operations.services import operations as ops
from silahap.operations.tests.helpers import joint_operation
from silahap.registry.models import Regency
from silahap.testing.personas import USERNAMES

MODELS = [Operation, Team]


def build(people) -> None:
    joint_operation(people)
    now = timezone.now()
    ops.operation_create(
        by=people.leader_b,
        client_id=uuid.uuid4(),
        unit=people.section_b,
        kind="independent",
        number="OPS-DPS-1",
        name="Operasi Mandiri Denpasar",
        starts_at=now,
        ends_at=now + datetime.timedelta(days=1),
    )
    # A national operation that has not started: its children are confidential below leaders.
    root = national.national_operation_create(
        by=people.analyst_national,
        unit=people.dg,
        number="JAGRATARA-1",
        name="Operasi Jagratara",
        starts_at=now + datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=6),
        offices=[national.OfficeShare(people.office_a), national.OfficeShare(people.office_b)],
    )
    child = root.children.get(unit=people.office_a)
    ops.operation_member_add(by=people.head_a, operation=child, user=people.officer_a)
    team = teams.team_create(
        by=people.head_a,
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
    teams.team_create(
        by=people.leader_b,
        unit=people.section_b,
        kind="task_force",
        level="regency",
        regency=Regency.objects.get(code="51.71"),
        name="Satgaspora Denpasar",
        decree_number="KEP-2",
        decree_date=datetime.date(2026, 1, 5),
        mandate_start=datetime.date(2026, 1, 5),
        mandate_end=datetime.date(2026, 12, 31),
    )


@pytest.mark.django_db
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_visible_to_and_can_read_agree_for_every_persona_and_object(people, data):
    if not Team.objects.exists():
        build(people)
    model = data.draw(st.sampled_from(MODELS), label="model")
    pks = sorted(model.objects.values_list("pk", flat=True))
    obj = model.objects.get(pk=data.draw(st.sampled_from(pks), label="object"))
    user = people.by_name(data.draw(st.sampled_from(USERNAMES), label="persona"))
    listed = model.objects.visible_to(user).filter(pk=obj.pk).exists()
    assert listed == access.can(user, "read", obj), (model.__name__, obj.pk, user.username)


@pytest.mark.django_db
def test_the_data_makes_both_answers_occur_for_every_model(people):
    build(people)
    for model in MODELS:
        answers = {
            access.can(people.by_name(name), "read", obj)
            for name in USERNAMES
            for obj in model.objects.all()
        }
        assert answers == {True, False}, model.__name__
