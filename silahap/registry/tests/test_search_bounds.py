"""Search terms are bounded (issue 23): the lookup and the search pages refuse oversized terms,
the search functions refuse them too, and the work a maximal term of any shape makes is bounded:
counted in index-query terms, queries and letters compared, never timed."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silahap import limits
from silahap.audit.models import AuditEvent
from silahap.inputs import TermTooLong
from silahap.registry import search
from silahap.registry.models import ForeignNational, Place, Sponsor
from silahap.registry.services import person_create

# A maximal term of each hostile shape (cut to the limit under test).
SHAPES = {
    "many short words": " ".join(["ab"] * 100),
    "many distinct short words": " ".join(f"{a}{b}" for a in "abcdefghij" for b in "klmnopqrst"),
    "one long word": "a" * 200,
    "repeated letters in words": " ".join(["aaaaaaaaaaaaaaaaaaa"] * 10),
    "combining marks": "a\u0301\u0323" * 67,
    "four slip-length words": " ".join(["abcdefghijklmno" + c for c in "wxyz"]),
    "eight slip-length words": " ".join(["abcdefghijklmn" + c + c for c in "stuvwxyz"]),
    "digits and letters": "E1234567 " * 22,
    "right-to-left and spaces": "\u202eمحمد  " * 28,
}


def slips(length: int) -> int:
    """Index terms for one word: its one-slip spellings (at most 54 per letter + 25), itself
    and the prefix of the word still being typed."""
    return 54 * length + 27


# The most terms any ask may send to the index, whatever was typed.
MOST_TERMS = max(
    limits.SEARCH_WORDS * slips(limits.SLIP_WORD_LENGTH),
    limits.ALL_BUT_ONE_WORDS * (limits.ALL_BUT_ONE_WORDS - 1) * slips(limits.SLIP_WORD_LENGTH),
)


def index_terms(term: str) -> int:
    """The largest number of terms (FTS5 and tsquery) any ask of the search makes for the term."""
    understood = search.understand(term[: limits.SEARCH_TERM])
    words = understood.normalized.split()
    counts = []
    for ask in (search.EXACT, search.SLIPS, search.ALL_BUT_ONE):
        counts.append(search.words_query(words, ask, understood.still_typing).count('"') // 2)
        counts.append(search.keys_query(words, ask, understood.still_typing).count("'") // 2)
    return max(counts)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_maximal_term_of_any_shape_makes_a_bounded_index_query(shape):
    assert MOST_TERMS < 12_000
    assert index_terms(SHAPES[shape]) <= MOST_TERMS


def test_a_single_word_as_long_as_allowed_is_not_spelt_one_slip_away():
    # Before the bounds, one word of 16,000 letters became ~860,000 spellings. Now: the word,
    # the word with its doubled letters typed once, and its start (the word still being typed).
    assert index_terms("b" * limits.SEARCH_TERM) <= 3


def test_at_most_search_words_words_are_searched_the_longest_kept():
    understood = search.understand("al bin " + " ".join(f"word{c}" for c in "abcdefghij"))
    assert len(understood.normalized.split()) == limits.SEARCH_WORDS
    assert "al" not in understood.normalized.split()


def test_ranking_compares_a_bounded_number_of_letters(monkeypatch):
    cells: list[int] = []
    original = search.edit_distance

    def counted(a: str, b: str) -> int:
        cells.append(len(a) * len(b))
        return original(a, b)

    monkeypatch.setattr(search, "edit_distance", counted)
    search.word_closeness.cache_clear()
    search.name_closeness(["x" * 200 + "a"], ["x" * 200 + "b", "y" * 150])
    assert cells
    assert max(cells) <= limits.RANKED_WORD_LENGTH**2


@pytest.mark.django_db
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_maximal_search_asks_the_database_a_bounded_amount(people, shape):
    person_create(
        by=people.officer_a, full_name="Anna Maria Eriksson", nationality="SE", document_number="L8"
    )
    persons = ForeignNational.objects.all()
    with CaptureQueriesContext(connection) as queries:
        search.search_person_ids(persons, SHAPES[shape][: limits.SEARCH_TERM], 200)
        search.search_persons(persons, SHAPES[shape][: limits.LOOKUP_TERM], 20)
    assert len(queries.captured_queries) <= 12
    assert sum(len(query["sql"]) for query in queries.captured_queries) < 1_000_000


@pytest.mark.django_db
def test_the_search_functions_refuse_an_oversized_term():
    persons = ForeignNational.objects.all()
    with pytest.raises(TermTooLong):
        search.search_persons(persons, "a" * (limits.LOOKUP_TERM + 1))
    with pytest.raises(TermTooLong):
        search.search_person_ids(persons, "a" * (limits.SEARCH_TERM + 1), 10)
    with pytest.raises(TermTooLong):
        search.search_places(Place.objects.all(), "a" * (limits.LOOKUP_TERM + 1))
    with pytest.raises(TermTooLong):
        Place.objects.filter(search.place_name_condition("a" * (limits.SEARCH_TERM + 1)))
    with pytest.raises(TermTooLong):
        Sponsor.objects.filter(search.sponsor_condition("1" * (limits.SEARCH_TERM + 1)))


def test_a_term_at_the_limit_is_searched():
    assert search.understand("anna " * (limits.SEARCH_TERM // 5)).normalized.startswith("anna")


@pytest.mark.django_db
def test_lookup_refuses_a_101_character_term_with_a_message(client, people):
    client.force_login(people.officer_a)
    response = client.get(reverse("registry:person_lookup"), {"q": "a" * 101})
    assert response.status_code == 400
    assert "100" in response.json()["error"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("registry:person_lookup"), {"q": "a" * 101})
    assert response.json()["error"] == "Type at most 100 characters."


@pytest.mark.django_db
def test_lookup_answers_a_100_character_term(client, people):
    client.force_login(people.officer_a)
    response = client.get(reverse("registry:person_lookup"), {"q": "anna " * 20})
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.django_db
def test_lookup_of_16000_characters_is_refused_before_any_work(client, people):
    client.force_login(people.officer_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registry:person_lookup"), {"q": "a" * 16_000})
    assert response.status_code == 400
    assert queries.captured_queries == []


@pytest.mark.django_db
def test_person_search_page_refuses_a_201_character_term_beside_the_field(client, people):
    client.force_login(people.officer_a)
    response = client.get(reverse("registry:person_search"), {"q": "a" * 201})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]
    assert response.context["page"] is None


@pytest.mark.django_db
def test_the_audit_search_refuses_an_oversized_text_itself(people):

    events = AuditEvent.objects.visible_to(people.leader_a)
    with pytest.raises(TermTooLong):
        events.searched({"text": "a" * (limits.AUDIT_TEXT + 1)})
    with pytest.raises(TermTooLong):
        events.searched({"actor": "a" * (limits.NAME + 1)})
    assert events.searched({"text": "a" * limits.AUDIT_TEXT}).count() == 0


@pytest.mark.django_db
def test_the_audit_search_page_refuses_an_oversized_text_beside_the_field(client, people):
    client.force_login(people.leader_a)
    response = client.get(reverse("audit:search"), {"text": "a" * (limits.AUDIT_TEXT + 1)})
    assert response.status_code == 422
    assert response.context["form"].errors["text"]
