"""search_persons: names with typos in any order and case, document numbers, the filters of the
search page, and recall on generated misspellings, on whichever database runs the suite."""

from __future__ import annotations

import datetime
import random
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from silahap.audit.models import AuditEvent
from silahap.insights.bench import population
from silahap.insights.bench.misspell import misspell
from silahap.registry import queries, search, sqlite_words
from silahap.registry.models import ForeignNational, Place, Regency, Sponsor
from silahap.registry.normalize import normalize_name
from silahap.registry.services import permit_add, person_create, place_create
from silahap.registry.views.persons import PAGE_SIZE
from silahap.reports.models import Check
from silahap.reports.services import activity_create, check_create

pytestmark = pytest.mark.django_db


def register(people, name: str, nationality: str = "CN", document: str = "", **extra):
    return person_create(
        by=people.officer_a,
        full_name=name,
        nationality=nationality,
        document_number=document,
        **extra,
    ).person


def names(persons) -> list[str]:
    return [person.full_name for person in persons]


@pytest.fixture
def crowd(people):
    """Zhang Wei among people with similar names."""
    return {
        "zhang_wei": register(people, "Zhang Wei", document="E12345678"),
        "zhang_weiming": register(people, "Zhang Weiming", document="E12345679"),
        "wang_wei": register(people, "Wang Wei", document="E22345678"),
        "zhao_wei": register(people, "Zhao Wei", document="E32345678"),
        "li_na": register(people, "Li Na", document="E42345678"),
        "jose": register(people, "José María Fernández", nationality="ES", document="PAA123456"),
    }


@pytest.mark.parametrize("query", ["Zhang Wei", "ZHANG  wei", "Zang Wei", "wei zhang", "Zhnag Wei"])
def test_zhang_wei_is_found_first_however_typed(crowd, query):
    found = search.search_persons(ForeignNational.objects.all(), query, 5)
    assert found[0] == crowd["zhang_wei"]


def test_accents_are_ignored_both_ways(crowd):
    everyone = ForeignNational.objects.all()
    assert search.search_persons(everyone, "jose maria fernandez", 5)[0] == crowd["jose"]
    assert search.search_persons(everyone, "Fernández José", 5)[0] == crowd["jose"]


def test_the_start_of_a_name_finds_it_while_typing(crowd):
    found = search.search_persons(ForeignNational.objects.all(), "zhang weim", 5)
    assert found[0] == crowd["zhang_weiming"]


def test_an_exact_document_number_comes_first(crowd):
    found = search.search_persons(ForeignNational.objects.all(), "E12345678", 5)
    assert found == [crowd["zhang_wei"]]


def test_a_document_number_is_found_from_its_start_in_number_order(crowd):
    found = search.search_persons(ForeignNational.objects.all(), "e1234567", 5)
    assert found == [crowd["zhang_wei"], crowd["zhang_weiming"]]


def test_a_document_number_typed_with_spaces_is_found(crowd):
    found = search.search_persons(ForeignNational.objects.all(), "paa 123 456", 5)
    assert found == [crowd["jose"]]


@pytest.mark.parametrize("query", ["", "  ", "Li", " w "])
def test_a_query_under_three_characters_finds_nothing(crowd, query):
    assert search.search_persons(ForeignNational.objects.all(), query, 5) == []
    with pytest.raises(search.QueryTooShort):
        search.understand(query)


def test_the_callers_scope_is_kept(people, crowd):
    assert (
        search.search_persons(ForeignNational.objects.visible_to(people.partner), "Zhang Wei") == []
    )


def test_merged_persons_are_not_found(crowd):
    ForeignNational.objects.filter(pk=crowd["zhang_weiming"].pk).update(
        merged_into=crowd["zhang_wei"]
    )
    found = search.search_persons(ForeignNational.objects.all(), "zhang", 5)
    assert crowd["zhang_weiming"] not in found
    assert crowd["zhang_wei"] in found


def test_related_documents_and_permits_come_prefetched(crowd, django_assert_num_queries):
    # The persons with their documents, then the documents and permits of all of them.
    with django_assert_num_queries(3):
        found = search.search_persons(ForeignNational.objects.all(), "E1234567", 5)
        for person in found:
            list(person.documents.all())
            list(person.permits.all())


def test_a_name_written_in_the_register_later_is_found(people, crowd):
    """The indexes follow every write (SQLite's through triggers)."""
    person = crowd["li_na"]
    ForeignNational.objects.filter(pk=person.pk).update(
        full_name="Lina Kusuma", normalized_name=normalize_name("Lina Kusuma")
    )
    found = search.search_persons(ForeignNational.objects.all(), "kusuma lina", 5)
    assert found
    assert found[0].pk == person.pk


# The search page's filters.


@pytest.fixture
def permits(people, crowd):
    today = timezone.localdate()
    sponsor = Sponsor.objects.create(kind="corporation", name="PT Maju Jaya", identity_number="1")
    ends = {
        "zhang_wei": today + datetime.timedelta(days=200),
        "wang_wei": today + datetime.timedelta(days=10),
        "zhao_wei": today - datetime.timedelta(days=5),
    }
    for key, valid_until in ends.items():
        permit_add(
            by=people.officer_a,
            person=crowd[key],
            permit_type="ITAS",
            issued_on=today - datetime.timedelta(days=300),
            valid_until=valid_until,
            sponsor=sponsor if key == "wang_wei" else None,
        )
    # An older, expired permit does not make a renewed person expired.
    permit_add(
        by=people.officer_a,
        person=crowd["zhang_wei"],
        permit_type="ITK",
        issued_on=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=320),
    )
    return sponsor


def filtered(**filters):
    return queries.persons_filtered(
        ForeignNational.objects.all(), on=timezone.localdate(), **filters
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [("valid", {"zhang_wei"}), ("expiring", {"wang_wei"}), ("expired", {"zhao_wei"})],
)
def test_permit_status_follows_the_latest_permit(crowd, permits, status, expected):
    found = set(filtered(permit_status=status))
    assert found == {crowd[key] for key in expected}


def test_filters_combine_with_the_name_search(crowd, permits):
    found = search.search_persons(filtered(permit_status="expiring"), "wei", 10)
    assert found == [crowd["wang_wei"]]


def test_nationality_filter(crowd):
    assert set(filtered(nationality="ES")) == {crowd["jose"]}


def test_sponsor_filter_finds_sponsored_persons(crowd, permits):
    sponsors = Sponsor.objects.filter(name__icontains="maju")
    assert set(filtered(sponsors=sponsors)) == {crowd["wang_wei"]}


def test_place_filter_finds_persons_checked_there(people, crowd):
    regency = Regency.objects.get(code="36.71")
    hotel = place_create(by=people.officer_a, name="Hotel Aryaduta", kind="hotel", regency=regency)
    activity = activity_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=timezone.now() - datetime.timedelta(hours=1),
        place=hotel,
    )
    check_create(
        by=people.officer_a,
        client_id=uuid.uuid4(),
        activity=activity,
        person=crowd["li_na"],
        verification_method=Check.Method.PHYSICAL_DOCUMENT,
        result=Check.Result.COMPLIANT,
    )
    assert set(filtered(places=Place.objects.filter(pk=hotel.pk))) == {crowd["li_na"]}


# The search page.


def test_search_page_ranks_and_audits_the_search(client, people, crowd):
    client.force_login(people.officer_b)
    response = client.get(reverse("registry:person_search"), {"q": "zang wei"})
    assert response.status_code == 200
    ids = [person.pk for person in response.context["results"]]
    assert ids[0] == crowd["zhang_wei"].pk
    event = AuditEvent.objects.filter(action="person.search").latest("sequence")
    assert event.actor_id == people.officer_b.pk
    assert event.summary["query_length"] == len("zang wei")


def test_search_page_refuses_a_query_under_three_characters(client, people, crowd):
    client.force_login(people.officer_a)
    response = client.get(reverse("registry:person_search"), {"q": "wu"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert b'data-testid="query-too-short"' in response.content


def test_search_page_lists_by_filters_alone_in_pages(client, people):
    for i in range(25):
        register(people, f"Kim Minjun {chr(65 + i)}a", nationality="KR", document=f"M{i:08d}")
    client.force_login(people.analyst)
    url = reverse("registry:person_search")
    first = client.get(url, {"nationality": "KR"})
    assert first.context["page"].paginator.count == 25
    assert len(first.context["results"]) == search_page_size()
    second = client.get(url, {"nationality": "KR", "page": 2})
    assert len(second.context["results"]) == 25 - search_page_size()


def search_page_size() -> int:

    return PAGE_SIZE


def test_search_page_queries_stay_few(client, people, django_assert_max_num_queries):
    for i in range(12):
        person = register(
            people, f"Nguyen Van {chr(65 + i)}nh", nationality="VN", document=f"C{i:07d}"
        )
        permit_add(by=people.officer_a, person=person, permit_type="ITAS")
    client.force_login(people.officer_a)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("registry:person_search"), {"q": "nguyen van"})
    assert len(response.context["results"]) == 12


# Recall: a few hundred generated misspellings of generated names.


def test_recall_at_five_on_generated_misspellings(db):
    population.ensure_persons(3000, seed=7)
    rng = random.Random(11)
    samples = list(population.bench_persons().order_by("pk"))[::10]
    persons = ForeignNational.objects.all()
    hits = 0
    for person in samples:
        query, _edits = misspell(rng, person.full_name)
        top = [found.normalized_name for found in search.search_persons(persons, query, 5)]
        hits += person.normalized_name in top
    assert hits / len(samples) >= 0.99, hits / len(samples)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's word index only")
def test_sqlite_word_index_is_repaired_after_a_table_rebuild_drops_its_triggers(people, crowd):
    with connection.cursor() as cursor:
        for trigger in sqlite_words.TRIGGERS:
            cursor.execute(f"DROP TRIGGER {trigger}")
    assert sqlite_words.repair(connection) is True
    assert sqlite_words.repair(connection) is False
    newcomer = register(people, "Kowalski Jan", nationality="PL", document="EA1234567")
    found = search.search_persons(ForeignNational.objects.all(), "jan kowalsky", 5)
    assert found[0] == newcomer


# Which persons a slip shows (search.quotas, search.best_first).


def _bear(name: str, count: int, nationality: str = "CN", year: int = 1980) -> list[int]:
    """`count` persons named `name`, written straight (the FTS triggers keep SQLite's index)."""
    persons = ForeignNational.objects.bulk_create(
        ForeignNational(
            full_name=name,
            normalized_name=normalize_name(name),
            nationality=nationality,
            birth_date=datetime.date(year, 1, 1 + i),
        )
        for i in range(count)
    )
    return [person.pk for person in persons]


def test_names_as_close_as_each_other_each_show_a_person_first(db):
    arun = _bear("Arun Mishra", 6, "IN")
    arjun = _bear("Arjun Mishra", 4, "IN")
    found = search.search_persons(ForeignNational.objects.all(), "Ajrun Mishra", 5)
    # Both are one slip away: one of each first (the commoner name first), then Arun's others.
    assert [person.pk for person in found] == [arun[0], arjun[0], *arun[1:4]]


def test_a_name_closer_than_the_rest_keeps_its_persons(db):
    feng = _bear("Feng Jia", 3)
    _bear("Feng Jie", 9)
    found = search.search_persons(ForeignNational.objects.all(), "Efng Jia", 5)
    # One slip from Feng Jia (two letters swapped), two from Feng Jie, nine times commoner.
    assert [person.pk for person in found[:3]] == feng
    assert [person.full_name for person in found[3:]] == ["Feng Jie", "Feng Jie"]


def test_a_name_typed_exactly_comes_first_with_all_its_persons(db):
    chang = _bear("Chang Lei", 4)
    _bear("Cheng Lei", 9)
    found = search.search_persons(ForeignNational.objects.all(), "Lei Chang", 6)
    assert [person.pk for person in found[:4]] == chang
    assert {person.full_name for person in found[4:]} == {"Cheng Lei"}


def test_a_name_typed_exactly_that_does_not_fill_the_list_leaves_room_for_slips(db):
    yimin = _bear("Hu Yimin", 1)
    yumin = _bear("Hu Yumin", 1)
    found = search.search_persons(ForeignNational.objects.all(), "Yimin Hu", 5)
    assert [person.pk for person in found] == yimin + yumin


@pytest.mark.parametrize(
    ("typed", "meant", "begun"),
    [("Gao Mingg", "Gao Ming", "Gao Minggang"), ("Gu Guii", "Gu Gui", "Gu Guili")],
)
def test_a_name_begun_by_the_last_word_does_not_hide_one_a_slip_away(db, typed, meant, begun):
    _bear(begun, 1)
    intended = _bear(meant, 2)
    found = search.search_persons(ForeignNational.objects.all(), typed, 5)
    # A letter doubled is the likeliest slip: the name meant comes before the longer one.
    assert [person.pk for person in found[:2]] == intended
    assert begun in {person.full_name for person in found}


def test_two_words_of_two_letters_and_a_year_are_a_name_with_a_vowel_slip(db):
    _bear("Gu Bo", 2, year=1975)
    meant = _bear("Gu Bo", 1, year=1976)
    terms = search.lookup_terms("GO BO 1976")
    assert (terms.name, terms.birth_year) == ("GO BO", 1976)
    persons = search.narrowed(ForeignNational.objects.all(), terms)
    assert [person.pk for person in search.search_persons(persons, terms.name, 5)] == meant
    # One word of letters with a year is still a document number typed with a space.
    assert search.lookup_terms("AB 1985").birth_year is None


def test_quotas_share_each_tier_before_the_next():
    ranked = [("a", 3, 0.9), ("b", 2, 0.9), ("c", 5, 0.8), ("d", 1, 0.8)]
    assert search.quotas(ranked, 2) == {"a": 1, "b": 1}
    assert search.quotas(ranked, 4) == {"a": 3, "b": 1}
    assert search.quotas(ranked, 7) == {"a": 3, "b": 2, "c": 1, "d": 1}
    assert search.quotas(ranked, 8) == {"a": 3, "b": 2, "c": 2, "d": 1}
    assert search.quotas([("a", 9, 1.0), ("b", 2, 0.9)], 5) == {"a": 5}


def test_vowel_slips_of_a_short_word():
    assert search.vowel_slips("go") == {"ga", "ge", "gi", "gu"}
    assert search.vowel_slips("yi") == {"ii", "ya", "ye", "yo", "yu", "yy"}
    assert search.vowel_slips("xx") == set()


# The exact ask ends the search early when what it found fills the list with names closer than
# any later ask could add (search._closest_found_later): the lists must be the same.


def _typed_variants(rng: random.Random, name: str) -> list[str]:
    """The name as typed, with a letter left out, with one doubled, and misspelt once and
    twice (the bench's slips), and its first word alone still being typed."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    dropped = [*words[:longest], word[:1] + word[2:], *words[longest + 1 :]]
    doubled = [*words[:longest], word + word[-1], *words[longest + 1 :]]
    return [
        name,
        " ".join(dropped),
        " ".join(doubled),
        misspell(rng, name)[0],
        misspell(rng, name, 2)[0],
        f"{words[0]} {words[-1][:3]}",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's keys index only")
def test_ending_the_search_after_the_exact_ask_shows_the_same_persons(db, monkeypatch):
    population.ensure_persons(3000, seed=7)
    rng = random.Random(5)
    persons = ForeignNational.objects.all()
    samples = list(population.bench_persons().order_by("pk"))[::150]
    for person in samples:
        # Names borne by many, as in a national registry: the exact ask can fill a list.
        _bear(person.full_name, rng.randrange(1, 12), person.nationality)
    queries = [typed for person in samples for typed in _typed_variants(rng, person.full_name)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_foreignnational")  # plans as on a registry in use
    asks: list[str] = []
    keyed = search.keyed_candidates

    def counted(*args, ask=search.SLIPS, **kwargs):
        asks.append(ask)
        return keyed(*args, ask=ask, **kwargs)

    monkeypatch.setattr(search, "keyed_candidates", counted)
    early, slips_saved = {}, 0
    for query in queries:
        for limit in (5, 8):
            asks.clear()
            early[(query, limit)] = [p.pk for p in search.search_persons(persons, query, limit)]
            slips_saved += search.SLIPS not in asks
    # The same searches, every ask made as before.
    monkeypatch.setattr(search, "_closest_found_later", lambda queryset, typed: 1.0)
    for (query, limit), shown in early.items():
        assert [p.pk for p in search.search_persons(persons, query, limit)] == shown, query
    # Not a vacuous comparison: the exact ask alone answered a good share of them.
    assert slips_saved >= len(early) // 3, (slips_saved, len(early))


def test_a_letter_left_out_of_a_common_name_is_answered_by_the_exact_ask(db, monkeypatch):
    yang = _bear("Yang Yong", 6)
    _bear("Yan Hong", 9)
    asks: list[str] = []
    keyed = search.keyed_candidates
    monkeypatch.setattr(
        search,
        "keyed_candidates",
        lambda *args, ask=search.SLIPS, **kwargs: (
            asks.append(ask) or keyed(*args, ask=ask, **kwargs)
        ),
    )
    found = search.search_persons(ForeignNational.objects.all(), "Yag Yong", 5)
    assert [person.pk for person in found] == yang[:5]
    # On PostgreSQL the exact ask finds Yang Yong ("yag" is one of its keys), closer than any
    # name the slips ask could add: it is not asked (it read every Yan, Yao or Ya with a Hong,
    # Long or Dong: 57,000 persons at 3.3 million).
    expected = [search.EXACT] if connection.vendor == "postgresql" else [search.EXACT, search.SLIPS]
    assert asks == expected


def test_a_name_found_exactly_but_with_words_nobody_typed_does_not_end_the_search(db):
    longer = _bear("Yang Yong Zhongwei", 6)
    yao = _bear("Yao Yong", 1)
    found = search.search_persons(ForeignNational.objects.all(), "Yag Yong", 5)
    # Yao Yong (a letter changed) is closer than the name with a long word nobody typed, which
    # the exact ask finds alone: the slips ask must still be made, and its name come first.
    assert [person.pk for person in found] == yao + longer[:4]
