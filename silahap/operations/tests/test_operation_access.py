"""Who sees which operation (issue 16 §5–6): partners only theirs, officers their own, leaders and
analysts their subtree, national operations hidden below the offices' leaders until the start."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from silahap.operations.models import Operation
from silahap.operations.services import national
from silahap.operations.services import operations as ops
from silahap.operations.tests.helpers import joint_operation

pytestmark = pytest.mark.django_db


def _sees(user, operation, now=None) -> bool:
    return Operation.objects.visible_to(user, now).filter(pk=operation.pk).exists()


def test_each_partner_agency_sees_the_operation_it_is_on_and_no_other(people):
    mine = joint_operation(people)
    other = joint_operation(people, number="OPS-02/TNG/2026", approve=False)
    for name in ["partner", "partner_satpolpp", "partner_disnaker", "partner_bnn"]:
        other.members.filter(user=getattr(people, name)).delete()
    for name in ["partner", "partner_satpolpp", "partner_disnaker", "partner_bnn"]:
        user = getattr(people, name)
        assert _sees(user, mine), name
        assert not _sees(user, other), name
    assert not _sees(people.partner_b, mine)


def test_a_partner_sees_the_operation_from_the_moment_they_are_added(people):
    operation = joint_operation(people, approve=False)
    operation.members.filter(user=people.partner_bnn).delete()
    assert not _sees(people.partner_bnn, operation)
    ops.operation_member_add(by=people.leader_a, operation=operation, user=people.partner_bnn)
    assert _sees(people.partner_bnn, operation)


def test_another_offices_staff_do_not_see_it_and_the_analysts_above_do(people):
    operation = joint_operation(people)
    assert not _sees(people.officer_b, operation)
    assert not _sees(people.leader_b, operation)
    assert _sees(people.analyst, operation)
    assert _sees(people.analyst_national, operation)
    assert not _sees(people.office_admin, operation)


def test_a_national_operation_is_confidential_below_the_offices_leaders_until_its_start(people):
    start = timezone.now() + datetime.timedelta(days=2)
    root = national.national_operation_create(
        by=people.analyst_national,
        unit=people.dg,
        number="JAG-1",
        name="Operasi Jagratara",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=3),
        offices=[national.OfficeShare(people.office_a, target_count=5)],
    )
    child = root.children.get()
    ops.operation_member_add(by=people.head_a, operation=child, user=people.officer_a)
    assert _sees(people.head_a, child)
    assert _sees(people.head_a, root)
    assert not _sees(people.officer_a, child)
    assert not _sees(people.leader_b, child)
    later = start + datetime.timedelta(minutes=1)
    assert _sees(people.officer_a, child, later)
