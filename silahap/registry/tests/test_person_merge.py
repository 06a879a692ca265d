"""person_merge: every row that points at the merged person moves to the one kept, found
through _meta so that a relation added later is covered too; a permit recorded on both is kept
once with its checks; repeated or contradictory merges do nothing; leaders and office
administrators only."""

from __future__ import annotations

import datetime
import hashlib
import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.registry.duplicates import relations_to
from silahap.registry.models import (
    ForeignNational,
    PersonPairDecision,
    Regency,
    StayPermit,
    TravelDocument,
)
from silahap.registry.models_imports import ImportJob, ImportRow, LodgingStay
from silahap.registry.services import (
    permit_add,
    person_create,
    person_duplicate_dismiss,
    person_merge,
    place_create,
)
from silahap.reports.models import Check, ViolationType
from silahap.reports.services import activity_create, check_create, finding_create
from silahap.supervision.services import task_create, warrant_create

pytestmark = pytest.mark.django_db

BORN = datetime.date(1974, 8, 12)
PERMIT = {
    "permit_type": "ITAS",
    "permit_number": "2C11AB0001",
    "permit_issued_on": datetime.date(2025, 1, 1),
    "permit_valid_until": datetime.date(2027, 1, 1),
}


def person(name="Anna Maria Eriksson", *, number="", nationality="SE", **extra):
    return person_create(
        by=extra.pop("by", None),
        full_name=name,
        nationality=nationality,
        birth_date=extra.pop("birth_date", BORN),
        document_number=number,
        **extra,
    ).person


def activity(by, hours_ago=2, place=None):
    return activity_create(
        by=by,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        place=place,
    )


def check(by, activity_, someone, permit=None):
    return check_create(
        by=by,
        client_id=uuid.uuid4(),
        activity=activity_,
        person=someone,
        permit=permit,
        verification_method=Check.Method.PHYSICAL_DOCUMENT,
        result=Check.Result.FINDING,
    )


def warrant(people):
    today = timezone.localdate()
    return warrant_create(
        by=people.leader_a,
        unit=people.section_a,
        number=f"SP-{uuid.uuid4().hex[:6]}/2025",
        issued_on=today,
        signer="Kasi Inteldakim",
        period_start=today,
        period_end=today + datetime.timedelta(days=7),
        members=[people.officer_a],
    )


def import_rows_for(people, someone, place):
    """Rows of the import models: their services read uploaded files, so they are made here
    directly, as an import would leave them."""

    job = ImportJob.objects.create(
        office=people.office_a,
        kind="lodging",
        file_name="apoa.csv",
        content=b"x",
        sha256=hashlib.sha256(b"x").hexdigest(),
        uploaded_by=people.office_admin,
    )
    ImportRow.objects.create(job=job, line=1, outcome="created", person=someone)
    LodgingStay.objects.create(
        person=someone, place=place, check_in=datetime.date(2025, 3, 1), source_job=job
    )


def rows_pointing_at(instance) -> dict[str, set[int]]:
    """For every relation to the instance's model (hidden ones included), the pks of the rows
    pointing at it."""
    return {
        f"{relation.related_model._meta.label_lower}.{relation.field.name}": set(
            relation.related_model._base_manager.filter(
                **{relation.field.name: instance}
            ).values_list("pk", flat=True)
        )
        for relation in relations_to(type(instance))
    }


@pytest.fixture
def pair(people):
    """A survivor and a duplicate that between them have a row of every relation there is."""
    survivor = person(number="L898902C3", **PERMIT)
    # Made before the duplicate, so that a decision names the duplicate second.
    older = person("Anne Maria Erikssen", birth_date=datetime.date(1975, 1, 1))
    merged = person("Ana Maria Eriksson", number="X1234567", **PERMIT)
    permit_add(by=people.officer_a, person=merged, permit_type="ITK", number="ITK-9")
    hotel = place_create(
        by=people.officer_a, name="Hotel Dup", kind="hotel", regency=Regency.objects.get(pk="36.71")
    )
    at_hotel = activity(people.officer_a, place=hotel)
    twin_permit = merged.permits.get(number=PERMIT["permit_number"])
    seen = check(people.officer_a, at_hotel, merged, permit=twin_permit)
    finding_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=at_hotel,
        violation_type=ViolationType.objects.first(),
        person=merged,
        check=seen,
    )
    check(people.officer_a, activity(people.officer_a, hours_ago=3), survivor)
    task_create(
        by=people.leader_a,
        warrant=warrant(people),
        instructions="Periksa alamat",
        due_date=timezone.localdate(),
        assignee=people.officer_a,
        target_person=merged,
    )
    earlier = person("Anna Erikson", number="Y7654321")
    person_merge(by=people.leader_a, survivor=merged, merged=earlier)
    stranger = person("Anna Marie Eriksen")
    person_duplicate_dismiss(by=people.leader_a, first=merged, second=stranger)
    person_duplicate_dismiss(by=people.office_admin, first=older, second=merged)
    import_rows_for(people, merged, hotel)
    return survivor, merged


def test_the_fixture_has_a_row_of_every_relation_to_a_person(pair):
    survivor, merged = pair
    before = rows_pointing_at(merged)
    empty = sorted(label for label, pks in before.items() if not pks)
    assert empty == [], (
        f"a relation to ForeignNational has no row in the merge fixture: {empty}; "
        "add one so the merge test proves it is moved"
    )


def test_merge_moves_every_row_pointing_at_the_duplicate_to_the_survivor(people, pair):
    survivor, merged = pair
    before_merged, before_survivor = rows_pointing_at(merged), rows_pointing_at(survivor)
    twin = merged.permits.get(number=PERMIT["permit_number"])
    kept = survivor.permits.get(number=PERMIT["permit_number"])

    result = person_merge(by=people.leader_a, survivor=survivor, merged=merged)

    after_merged, after_survivor = rows_pointing_at(merged), rows_pointing_at(survivor)
    assert all(not pks for pks in after_merged.values()), after_merged
    for label, pks in before_merged.items():
        if label == "registry.staypermit.person":
            # The permit recorded on both is kept once: the survivor's.
            assert after_survivor[label] == before_survivor[label] | (pks - {twin.pk})
        elif label == "registry.personpairdecision.first":
            # The decision is carried over as a new row about the survivor.
            carried = after_survivor[label] | after_survivor["registry.personpairdecision.second"]
            assert len(carried) == 2
        elif label == "registry.foreignnational.merged_into":
            # The duplicate itself now points at the survivor too.
            assert after_survivor[label] == before_survivor[label] | pks | {merged.pk}
        elif label != "registry.personpairdecision.second":
            assert after_survivor[label] == before_survivor[label] | pks, label
    assert not StayPermit.objects.filter(pk=twin.pk).exists()
    assert Check.objects.get(person=survivor, permit__isnull=False).permit == kept
    assert result.kept_once == {"registry.staypermit": 1}
    merged.refresh_from_db()
    assert merged.merged_into == survivor


def test_merge_flattens_earlier_merges_so_no_record_points_at_a_merged_one(people, pair):
    survivor, merged = pair
    earlier = ForeignNational.objects.get(full_name="Anna Erikson")

    person_merge(by=people.leader_a, survivor=survivor, merged=merged)

    earlier.refresh_from_db()
    assert earlier.merged_into == survivor


def test_merge_keeps_not_a_duplicate_decisions_for_the_survivor(people, pair):
    survivor, merged = pair
    stranger = ForeignNational.objects.get(full_name="Anna Marie Eriksen")

    person_merge(by=people.leader_a, survivor=survivor, merged=merged)

    low, high = sorted((survivor.pk, stranger.pk))
    assert PersonPairDecision.objects.filter(first_id=low, second_id=high).exists()


def test_merge_writes_one_audit_event_naming_both_records(people, pair):
    survivor, merged = pair
    before = AuditEvent.objects.filter(action="person.merge").count()

    person_merge(by=people.leader_a, survivor=survivor, merged=merged)

    event = AuditEvent.objects.filter(action="person.merge").latest("sequence")
    assert AuditEvent.objects.filter(action="person.merge").count() == before + 1
    assert event.object_id == str(survivor.pk)
    assert event.summary["merged"] == merged.pk
    assert event.summary["moved"]["reports.check.person"] == 1


def test_merging_twice_does_nothing_the_second_time(people, pair):
    survivor, merged = pair
    person_merge(by=people.leader_a, survivor=survivor, merged=merged)
    events = AuditEvent.objects.count()

    again = person_merge(by=people.office_admin, survivor=survivor, merged=merged)

    assert again.done_now is False
    assert AuditEvent.objects.count() == events


def test_merging_into_a_merged_record_is_refused(people, pair):
    survivor, merged = pair
    person_merge(by=people.leader_a, survivor=survivor, merged=merged)
    third = person("Anna M Eriksson")

    with pytest.raises(ValidationError):
        person_merge(by=people.leader_a, survivor=merged, merged=third)
    third.refresh_from_db()
    assert third.merged_into is None


def test_merging_a_record_already_merged_elsewhere_is_refused(people, pair):
    survivor, merged = pair
    person_merge(by=people.leader_a, survivor=survivor, merged=merged)
    third = person("Anna M Eriksson")

    with pytest.raises(ValidationError):
        person_merge(by=people.leader_a, survivor=third, merged=merged)


def test_a_record_cannot_be_merged_into_itself(people):
    someone = person()
    with pytest.raises(ValidationError):
        person_merge(by=people.leader_a, survivor=someone, merged=someone)


@pytest.mark.parametrize("persona", ["officer_a", "analyst", "partner"])
def test_only_leaders_and_office_administrators_merge(people, persona):
    first, second = person(), person("Ana Maria Eriksson")
    with pytest.raises(PermissionDenied):
        person_merge(by=getattr(people, persona), survivor=first, merged=second)
    second.refresh_from_db()
    assert second.merged_into is None


def test_an_office_administrator_may_merge(people):
    first, second = person(), person("Ana Maria Eriksson")
    assert person_merge(by=people.office_admin, survivor=first, merged=second).done_now


def test_two_records_checked_in_one_activity_are_not_merged_silently(people):
    first, second = person(number="A1111111"), person("Ana Maria Eriksson", number="B2222222")
    both = activity(people.officer_a)
    check(people.officer_a, both, first)
    check(people.officer_a, both, second)

    with pytest.raises(ValidationError):
        person_merge(by=people.leader_a, survivor=first, merged=second)
    assert TravelDocument.objects.get(number="B2222222").person == second
    second.refresh_from_db()
    assert second.merged_into is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_opposite_merges_leave_exactly_one_survivor(people):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite writes one at a time anyway")

    first, second = person(number="C3333333"), person("Ana Maria Eriksson", number="D4444444")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def merge(survivor, merged):
        try:
            start.wait()
            person_merge(by=people.leader_a, survivor=survivor, merged=merged)
            outcomes.append("merged")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=merge, args=(first, second)),
        threading.Thread(target=merge, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["merged", "refused"]
    merged = ForeignNational.objects.filter(merged_into__isnull=False)
    assert merged.count() == 1
    assert TravelDocument.objects.filter(person__merged_into__isnull=True).count() == 2
