"""National synchronised operations: per-office children, confidential below the offices' leaders
until the start, and a roll-up that equals a from-scratch count after random writes."""

from __future__ import annotations

import datetime
import random
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from silahap.accounts import services as accounts
from silahap.operations import results
from silahap.operations.models import Operation, OperationActivity
from silahap.operations.services import national
from silahap.operations.services import operations as ops
from silahap.operations.services.running import operation_activity_link
from silahap.operations.tests.helpers import field_activity, person, place
from silahap.reports import services as reports
from silahap.reports.models import Check
from silahap.testing.personas import SINCE

pytestmark = pytest.mark.django_db


def head_of(people, office, name):
    user = accounts.user_create(by=None, username=name, full_name=name.title(), password=None)
    accounts.membership_create(by=None, user=user, unit=office, role="leader", start_date=SINCE)
    return user


def jagratara(people, *, starts_in=datetime.timedelta(hours=-3)):
    now = timezone.now()
    return national.national_operation_create(
        by=people.analyst_national,
        client_id=uuid.uuid4(),
        unit=people.dg,
        number="JAGRATARA-T",
        name="Operasi Jagratara",
        starts_at=now + starts_in,
        ends_at=now + starts_in + datetime.timedelta(days=3),
        offices=[
            national.OfficeShare(people.office_a, target_count=4),
            national.OfficeShare(people.office_b, target_count=2),
        ],
    )


def running_children(people):
    root = jagratara(people)
    officers = {people.office_a.pk: people.officer_a, people.office_b.pk: people.officer_b}
    heads = {
        people.office_a.pk: people.head_a,
        people.office_b.pk: head_of(people, people.office_b, "head_b"),
    }
    for child in root.children.all():
        head = heads[child.unit_id]
        ops.operation_member_add(by=head, operation=child, user=officers[child.unit_id])
        ops.operation_approve(by=head, operation=child)
    return root, officers


def test_only_the_national_analyst_creates_one_and_each_office_gets_its_child(people):
    with pytest.raises(PermissionDenied):
        national.national_operation_create(
            by=people.analyst,
            unit=people.kanwil_banten,
            number="X",
            name="X",
            starts_at=timezone.now(),
            ends_at=timezone.now() + datetime.timedelta(days=1),
            offices=[national.OfficeShare(people.office_a)],
        )
    root = jagratara(people)
    assert sorted(root.children.values_list("unit__code", flat=True)) == ["KI-DPS", "KI-TNG"]
    assert set(root.children.values_list("kind", flat=True)) == {"national"}


def test_a_window_ending_before_it_starts_is_refused(people):
    with pytest.raises(ValidationError):
        national.national_operation_create(
            by=people.analyst_national,
            unit=people.dg,
            number="Y",
            name="Y",
            starts_at=timezone.now(),
            ends_at=timezone.now() - datetime.timedelta(hours=1),
            offices=[national.OfficeShare(people.office_a)],
        )


def test_before_its_start_officers_see_it_in_no_list_count_or_page(client, people):
    root = jagratara(people, starts_in=datetime.timedelta(days=2))
    child = root.children.get(unit=people.office_a)
    ops.operation_member_add(by=people.head_a, operation=child, user=people.officer_a)
    client.force_login(people.officer_a)
    assert (
        child.get_absolute_url()
        not in client.get(reverse("operations:operation_list")).content.decode()
    )
    assert client.get(child.get_absolute_url()).status_code == 404
    assert client.get(reverse("operations:operation_live_feed", args=[child.pk])).status_code == 204
    content = client.get(reverse("reports:activity_create")).content.decode()
    assert 'data-testid="activity-operation"' not in content
    client.force_login(people.head_a)
    assert client.get(child.get_absolute_url()).status_code == 200


def from_scratch(root: Operation) -> dict[int, tuple[int, int]]:
    """Per child: distinct places visited and distinct persons checked, counted in Python."""
    counts = {}
    for child in root.children.all():
        links = OperationActivity.objects.filter(operation=child).select_related("activity")
        places = {link.activity.place_id for link in links if link.activity.place_id}
        persons = set(
            Check.objects.filter(activity__in=[link.activity for link in links]).values_list(
                "person_id", flat=True
            )
        )
        counts[child.pk] = (len(places), len(persons))
    return counts


def test_the_roll_up_equals_a_from_scratch_count_after_random_writes(people):
    root, officers = running_children(people)
    rng = random.Random(16)
    children = list(root.children.all())
    places = {
        child.pk: [
            place(by=officers[child.unit_id], name=f"Tempat {child.pk}-{n}") for n in range(3)
        ]
        for child in children
    }
    pool = {
        child.pk: [
            person(
                by=officers[child.unit_id],
                name=f"Orang {child.pk}-{n}",
                document=f"N{child.pk}{n:05d}",
            )
            for n in range(4)
        ]
        for child in children
    }
    for _step in range(12):
        child = rng.choice(children)
        officer = officers[child.unit_id]
        activity = field_activity(
            by=officer,
            started_at=timezone.now() - datetime.timedelta(minutes=rng.randint(5, 120)),
            place=rng.choice(places[child.pk]),
        )
        if rng.random() < 0.8:
            operation_activity_link(by=officer, operation=child, activity=activity)
        for foreigner in rng.sample(pool[child.pk], rng.randint(0, 3)):
            reports.check_create(
                by=officer,
                client_id=uuid.uuid4(),
                activity=activity,
                person=foreigner,
                verification_method="physical_document",
                result="compliant",
            )
        rows = {
            row["operation"].pk: (row["visited"], row["checked"])
            for row in results.rollup_rows(root)
        }
        assert rows == from_scratch(root)


@pytest.mark.parametrize("activities", [1, 6])
def test_the_roll_up_page_reads_a_fixed_number_of_queries(
    client, people, activities, django_assert_max_num_queries
):
    root, officers = running_children(people)
    child = root.children.get(unit=people.office_a)
    for index in range(activities):
        activity = field_activity(
            by=people.officer_a,
            started_at=timezone.now() - datetime.timedelta(minutes=10 + index),
            place=place(by=people.officer_a, name=f"Hotel {index}"),
        )
        operation_activity_link(by=people.officer_a, operation=child, activity=activity)
    client.force_login(people.analyst_national)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("operations:national_rollup", args=[root.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="league-row"') == 2


def test_a_regional_analyst_sees_their_region_only(client, people):
    root = jagratara(people)
    client.force_login(people.analyst)
    content = client.get(reverse("operations:national_rollup", args=[root.pk])).content.decode()
    assert 'data-office="KI-TNG"' in content
    assert 'data-office="KI-DPS"' not in content
    response = client.get(reverse("operations:national_rollup_xlsx", args=[root.pk]))
    assert response.status_code == 200
