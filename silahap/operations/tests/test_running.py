"""While an operation runs: officers link their activities (inside the period, on its teams) and
partner members record their agency's actions on the operation's own targets."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from silahap.operations.models import OperationActivity, PartnerAction
from silahap.operations.services.running import operation_activity_link, partner_action_record
from silahap.operations.tests.helpers import field_activity, joint_operation, operation_activity

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_an_officer_on_a_team_links_an_activity_in_the_period(people):
    operation = joint_operation(people)
    activity = operation_activity(people, operation)
    operation_activity_link(by=people.officer_a, operation=operation, activity=activity)
    assert OperationActivity.objects.get(activity=activity).operation == operation


def test_an_activity_outside_the_period_is_refused(people):
    operation = joint_operation(people)
    activity = field_activity(
        by=people.officer_a,
        started_at=operation.starts_at - datetime.timedelta(hours=5),
        place=None,
        kind="administrative",
        warrant_number="",
        warrant_date=None,
    )
    with pytest.raises(ValidationError) as error:
        operation_activity_link(by=people.officer_a, operation=operation, activity=activity)
    assert "operation" in error.value.message_dict
    assert not OperationActivity.objects.exists()


def test_someone_not_on_its_teams_cannot_link(people):
    operation = joint_operation(people)
    operation.members.filter(user=people.officer_a2).delete()
    activity = operation_activity(people, operation, by=people.officer_a2)
    with pytest.raises(ValidationError):
        operation_activity_link(by=people.officer_a2, operation=operation, activity=activity)


def test_a_partner_records_an_action_with_a_photo_on_a_target(people):
    operation = joint_operation(people)
    target = operation.targets.first()
    action = partner_action_record(
        by=people.partner,
        client_id=uuid.uuid4(),
        operation=operation,
        target=target,
        description="2 orang dibawa ke Polres",
        count=2,
        photo=jpeg(),
    )
    assert (action.agency, action.photo_type) == ("polri", "image/jpeg")


def test_a_partner_action_on_a_target_of_another_operation_is_refused(people):
    operation = joint_operation(people)
    other = joint_operation(people, number="OPS-99")
    with pytest.raises(ValidationError) as error:
        partner_action_record(
            by=people.partner,
            operation=operation,
            target=other.targets.first(),
            description="x",
        )
    assert "target" in error.value.message_dict
    assert not PartnerAction.objects.exists()


def test_a_partner_not_on_the_operation_or_before_its_start_cannot_record(people):
    operation = joint_operation(people)
    with pytest.raises(PermissionDenied):
        partner_action_record(
            by=people.partner_b,
            operation=operation,
            target=operation.targets.first(),
            description="x",
        )
    later = joint_operation(
        people,
        number="OPS-LATER",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        ends_at=timezone.now() + datetime.timedelta(days=2),
    )
    with pytest.raises(PermissionDenied):
        partner_action_record(
            by=people.partner, operation=later, target=later.targets.first(), description="x"
        )
