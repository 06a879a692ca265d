"""Team members come from the leading unit or below it, plus members of participating agencies;
anyone else is refused with a message that says what to fix, and nothing is saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from silahap.accounts.models import Agency
from silahap.operations.models import OperationMember
from silahap.operations.services import operations as ops
from silahap.operations.tests.helpers import joint_operation

pytestmark = pytest.mark.django_db


def _refusal(people, operation, user) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        ops.operation_member_add(by=people.leader_a, operation=operation, user=user)
    assert not OperationMember.objects.filter(operation=operation, user=user).exists()
    return " ".join(error.value.message_dict["user"])


def test_an_officer_of_another_office_is_refused(people):
    operation = joint_operation(people, approve=False)
    assert "no current membership" in _refusal(people, operation, people.officer_b)


def test_a_partner_of_another_office_is_refused(people):
    operation = joint_operation(people, approve=False)
    assert "not a partner member" in _refusal(people, operation, people.partner_b)


def test_a_partner_of_an_agency_not_taking_part_is_refused(people):
    operation = joint_operation(people, approve=False)
    operation.agencies.remove(Agency.objects.get(code="polri"))
    OperationMember.objects.filter(operation=operation, user=people.partner).delete()
    assert "does not take part" in _refusal(people, operation, people.partner)


def test_the_refusal_is_in_indonesian_by_default(people):
    operation = joint_operation(people, approve=False)
    with pytest.raises(ValidationError) as error:
        ops.operation_member_add(by=people.leader_a, operation=operation, user=people.officer_b)
    assert "keanggotaan" in " ".join(error.value.message_dict["user"])


def test_officers_of_the_unit_and_partners_of_participating_agencies_are_members(people):
    operation = joint_operation(people)
    agencies = set(operation.members.values_list("agency", flat=True))
    assert agencies == {"", "polri", "satpol_pp", "disnaker", "bnn"}
