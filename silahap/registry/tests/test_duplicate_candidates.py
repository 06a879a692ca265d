"""Candidate pairs: persons of one nationality and birth date with the same or a one-slip
name, persons sharing a document number, places of one name within 100 m; never merged
records nor pairs marked not duplicates; a page at a time from a cursor, in few queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from silahap.registry import duplicates
from silahap.registry.duplicates import BY_DOCUMENT, BY_NAME, person_candidates, place_candidates
from silahap.registry.models import ForeignNational, Place, Regency
from silahap.registry.services import (
    document_add,
    person_duplicate_dismiss,
    person_merge,
    place_create,
)
from silahap.registry.tests.test_person_merge import BORN, person

pytestmark = pytest.mark.django_db


def keys(page) -> set[tuple[str, str]]:
    return {
        tuple(sorted((pair.first.full_name, pair.second.full_name)))
        for pair in page.pairs
        if isinstance(pair.first, ForeignNational)
    }


def test_same_name_birth_date_and_nationality_is_a_candidate(people):
    person("Zhang Wei")
    person("Wei ZHANG")
    person("Zhang Wei", birth_date=datetime.date(1980, 1, 1))
    person("Zhang Wei", nationality="CN")

    page = person_candidates(ForeignNational.objects.all(), BY_NAME)

    assert keys(page) == {("Wei ZHANG", "Zhang Wei")}
    assert page.pairs[0].reasons == {BY_NAME}
    assert page.after is None


def test_a_name_one_typing_slip_away_is_a_candidate_and_a_different_name_is_not(people):
    person("Muhammad Rizwan Khan")
    person("Muhamad Rizwan Khan")
    person("Wang Li")
    person("Zhou Min")

    page = person_candidates(ForeignNational.objects.all(), BY_NAME)

    assert keys(page) == {("Muhamad Rizwan Khan", "Muhammad Rizwan Khan")}


def test_persons_without_a_birth_date_are_not_paired_by_name(people):
    person("Zhang Wei", birth_date=None)
    person("Zhang Wei", birth_date=None)

    assert person_candidates(ForeignNational.objects.all(), BY_NAME).pairs == []


def test_the_same_document_number_from_another_country_is_a_candidate(people):
    first = person("Li Na", number="E12345678", nationality="CN")
    second = person("Lina Lee", birth_date=datetime.date(1990, 2, 2), nationality="TW")
    document_add(by=people.officer_a, person=second, number="E12345678", issuing_country="TW")
    person("Someone Else", number="E12345679", nationality="CN")

    page = person_candidates(ForeignNational.objects.all(), BY_DOCUMENT)

    assert [(pair.first.pk, pair.second.pk) for pair in page.pairs] == [(first.pk, second.pk)]
    assert page.pairs[0].reasons == {BY_DOCUMENT}


def test_a_pair_marked_not_a_duplicate_is_not_proposed_again(people):
    first, second = person("Zhang Wei"), person("Zhang Wei")
    person_duplicate_dismiss(by=people.leader_a, first=second, second=first)

    assert person_candidates(ForeignNational.objects.all(), BY_NAME).pairs == []


def test_a_merged_record_is_not_proposed(people):
    first, second = person("Zhang Wei"), person("Zhang Wei")
    person("Zhang Wey")
    person_merge(by=people.leader_a, survivor=first, merged=second)

    page = person_candidates(ForeignNational.objects.all(), BY_NAME)

    assert keys(page) == {("Zhang Wei", "Zhang Wey")}
    assert second.pk not in {pk for pair in page.pairs for pk in (pair.first.pk, pair.second.pk)}


def test_a_partner_gets_no_candidates(people):
    person("Zhang Wei"), person("Zhang Wei")

    persons = ForeignNational.objects.visible_to(people.partner)

    assert person_candidates(persons, BY_NAME).pairs == []
    assert person_candidates(persons, BY_DOCUMENT).pairs == []


def test_pages_follow_each_other_from_the_cursor_without_gaps_or_repeats(people, monkeypatch):
    monkeypatch.setattr(duplicates, "PAGE_SIZE", 2)
    monkeypatch.setattr(duplicates, "CHUNK", 5)
    for day in range(7):
        for _copy in range(2):
            person("Zhang Wei", birth_date=BORN + datetime.timedelta(days=day))

    seen, after, pages = [], "", 0
    while True:
        page = person_candidates(ForeignNational.objects.all(), BY_NAME, after)
        seen += [pair.key for pair in page.pairs]
        pages += 1
        if page.after is None:
            break
        after = page.after
    assert len(seen) == len(set(seen)) == 7
    assert pages > 1


def test_a_block_bigger_than_a_chunk_pairs_only_identical_names(people, monkeypatch):
    monkeypatch.setattr(duplicates, "CHUNK", 3)
    person("Zhang Wei"), person("Zhang Wei"), person("Zhang Wey"), person("Li Na")

    page = person_candidates(ForeignNational.objects.all(), BY_NAME)

    assert keys(page) == {("Zhang Wei", "Zhang Wei")}


def test_a_page_of_person_candidates_takes_a_fixed_number_of_queries(
    people, django_assert_max_num_queries
):
    for index in range(15):
        person("Zhang Wei", birth_date=BORN + datetime.timedelta(days=index), number=f"K{index}A1")
        person("Zhang Wei", birth_date=BORN + datetime.timedelta(days=index), number=f"K{index}A2")

    with django_assert_max_num_queries(6):
        page = person_candidates(ForeignNational.objects.all(), BY_NAME)
        for pair in page.pairs:
            list(pair.first.documents.all()), list(pair.second.permits.all())
    assert len(page.pairs) == 15


def place(people, name, longitude, latitude="-6.170000"):
    return place_create(
        by=people.officer_a,
        name=name,
        kind="hotel",
        regency=Regency.objects.get(code="36.71"),
        latitude=Decimal(latitude) if latitude else None,
        longitude=Decimal(longitude) if latitude else None,
    )


def test_places_of_one_name_within_100_metres_are_candidates(people, django_assert_max_num_queries):
    near = place(people, "Hotel Melati", "106.630000"), place(people, "hotel  MELATI", "106.630500")
    place(people, "Hotel Melati", "106.640000")
    place(people, "Hotel Mawar", "106.630100")
    place(people, "Hotel Melati", "", latitude="")

    with django_assert_max_num_queries(4):
        page = place_candidates(Place.objects.all())

    assert [(pair.first.pk, pair.second.pk) for pair in page.pairs] == [(near[0].pk, near[1].pk)]
    assert 50 < page.pairs[0].distance_m < 60
