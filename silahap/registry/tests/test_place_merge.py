"""place_merge: every row that points at the merged place (activities, task targets, lodging
stays, anything added later) moves to the place kept; the merged place points at it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.operations.services.operations import operation_create, operation_target_add
from silahap.registry.models import Place, Regency
from silahap.registry.models_imports import LodgingStay
from silahap.registry.services import place_create, place_duplicate_dismiss, place_merge
from silahap.registry.tests.test_person_merge import (
    activity,
    import_rows_for,
    person,
    rows_pointing_at,
    warrant,
)
from silahap.supervision.services import task_create

pytestmark = pytest.mark.django_db


def place(people, name="Hotel Melati", longitude="106.630000"):
    return place_create(
        by=people.officer_a,
        name=name,
        kind="hotel",
        regency=Regency.objects.get(code="36.71"),
        latitude=Decimal("-6.170000"),
        longitude=Decimal(longitude),
    )


@pytest.fixture
def pair(people):
    survivor = place(people)
    older = place(people, "Hotel Melati Lama", "106.631000")
    merged = place(people, "Hotel Melati", "106.630300")
    activity(people.officer_a, place=survivor)
    activity(people.officer_a, place=merged)
    task_create(
        by=people.leader_a,
        warrant=warrant(people),
        instructions="Periksa tamu asing",
        due_date=timezone.localdate(),
        assignee=people.officer_a,
        target_place=merged,
    )
    earlier = place(people, "Hotel Melatii", "106.630100")
    place_merge(by=people.leader_a, survivor=merged, merged=earlier)
    place_duplicate_dismiss(by=people.leader_a, first=merged, second=place(people, "Melati Spa"))
    place_duplicate_dismiss(by=people.leader_a, first=older, second=merged)
    import_rows_for(people, person(), merged)
    operation = operation_create(
        by=people.leader_a,
        unit=people.section_a,
        kind="independent",
        number="OPS-MERGE",
        name="Operasi",
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(days=1),
    )
    operation_target_add(by=people.leader_a, operation=operation, place=merged)
    return survivor, merged


def test_the_fixture_has_a_row_of_every_relation_to_a_place(pair):
    empty = sorted(label for label, pks in rows_pointing_at(pair[1]).items() if not pks)
    assert empty == [], f"a relation to Place has no row in the merge fixture: {empty}"


def test_merge_moves_every_row_pointing_at_the_duplicate_place(people, pair):
    survivor, merged = pair
    before_merged, before_survivor = rows_pointing_at(merged), rows_pointing_at(survivor)

    result = place_merge(by=people.office_admin, survivor=survivor, merged=merged)

    after_merged, after_survivor = rows_pointing_at(merged), rows_pointing_at(survivor)
    assert all(not pks for pks in after_merged.values()), after_merged
    for label, pks in before_merged.items():
        if label == "registry.place.merged_into":
            assert after_survivor[label] == before_survivor[label] | pks | {merged.pk}
        elif label.startswith("registry.placepairdecision"):
            continue
        else:
            assert after_survivor[label] == before_survivor[label] | pks, label
    decisions = (
        after_survivor["registry.placepairdecision.first"]
        | after_survivor["registry.placepairdecision.second"]
    )
    assert len(decisions) == 2
    assert result.moved["reports.activity.place"] == 1
    merged.refresh_from_db()
    assert merged.merged_into == survivor
    event = AuditEvent.objects.filter(action="place.merge").latest("sequence")
    assert event.summary["merged"] == merged.pk


def test_merging_a_place_twice_does_nothing_the_second_time(people, pair):
    survivor, merged = pair
    place_merge(by=people.leader_a, survivor=survivor, merged=merged)
    events = AuditEvent.objects.count()

    assert place_merge(by=people.leader_a, survivor=survivor, merged=merged).done_now is False
    assert AuditEvent.objects.count() == events


def test_merging_into_a_merged_place_is_refused(people, pair):
    survivor, merged = pair
    place_merge(by=people.leader_a, survivor=survivor, merged=merged)
    with pytest.raises(ValidationError):
        place_merge(by=people.leader_a, survivor=merged, merged=place(people, "Hotel Melati 2"))


def test_an_officer_cannot_merge_places(people, pair):
    with pytest.raises(PermissionDenied):
        place_merge(by=people.officer_a, survivor=pair[0], merged=pair[1])
    assert Place.objects.get(pk=pair[1].pk).merged_into is None


def test_the_same_lodging_stay_reported_under_both_places_is_kept_once(people):

    first, second = place(people), place(people, longitude="106.630200")
    guest = person()
    LodgingStay.objects.create(person=guest, place=first, check_in=datetime.date(2025, 3, 1))
    LodgingStay.objects.create(person=guest, place=second, check_in=datetime.date(2025, 3, 1))

    place_merge(by=people.leader_a, survivor=first, merged=second)

    assert LodgingStay.objects.filter(person=guest).count() == 1
