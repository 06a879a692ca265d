"""Finding people and places in the registry, behind one function each.

Persons are found by name (typo-tolerant, word order free, accents and case ignored) or by
document number (exact, or the start of one). A name is found in three steps:

1. Candidates, from an index: names in which every typed word matches a word within one typing
   error (a letter dropped, added, changed, or two swapped) or a word it begins.
   PostgreSQL keeps, per name, the "keys" of its words (each word, and the word less any one
   letter: two words one slip apart share a key) in a GIN index (migration 0005); SQLite keeps
   the words in an FTS5 table (sqlite_words.py) and is asked for every word one slip away.
   When that finds nothing close, a looser ask: all typed words but one; then, as a last
   resort, names sharing trigrams with the query (pg_trgm on PostgreSQL, a scan on SQLite).
   On PostgreSQL a search of every person (the lookup without nationality or birth year)
   asks the table of distinct current names instead (models_names.PersonName, kept by
   triggers, with the same indexes and each name's count): names repeat, so its cost follows
   the names near the query, not how many persons bear them.
2. Ranking, in Python, the same on both databases: each typed word is matched with the closest
   word of the name (edit distance with swapped letters as one edit; doubled letters and a
   typed beginning count as nearly a match), weighted by length, less a little for words of
   the name nobody typed.
3. Persons: as many of each shown name as `quotas` gives, the first by pk; on PostgreSQL a
   range of the index person_by_normalized_name per name, however many bear it.

Every step's cost is bounded whatever is typed (silahap/limits.py): a term over SEARCH_TERM
characters is refused (TermTooLong); at most SEARCH_WORDS words are searched; only words up to
SLIP_WORD_LENGTH letters are spelt one slip away, and "all words but one" is asked only up to
ALL_BUT_ONE_WORDS words, so the index query has a bounded number of terms; and the ranking
compares at most RANKED_WORD_LENGTH letters of a word. Before these bounds a single word of
16,000 letters became about 900,000 spellings and the server ran out of memory.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from typing import TypeVar

import pycountry
from django.db import connections
from django.db.models import (
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, RowNumber
from django.db.models.lookups import PostgresOperatorLookup

from silahap import limits
from silahap.inputs import bounded_term
from silahap.registry import sqlite_words
from silahap.registry.countries import STATELESS, UNKNOWN
from silahap.registry.models import ForeignNational, PersonName, Place
from silahap.registry.normalize import normalize_name

MIN_QUERY_LENGTH = 3
T = TypeVar("T")
# How many database candidates the Python ranking sees: enough for a misspelt common name to
# stay in, few enough to rank in a few milliseconds.
CANDIDATES = 100
DOCUMENT_NUMBER = re.compile(r"^[A-Z0-9]{1,20}$")
DOUBLED_LETTERS = re.compile(r"(.)\1+")


class QueryTooShort(ValueError):
    """A query shorter than MIN_QUERY_LENGTH characters: it would match half the registry."""


class TrigramSimilar(PostgresOperatorLookup):
    lookup_name = "silahap_trigram_similar"
    postgres_operator = "%%"


class TrigramWordSimilar(PostgresOperatorLookup):
    """`name %> query`: some run of the name's words is like the query (pg_trgm `<%`)."""

    lookup_name = "silahap_trigram_word_similar"
    postgres_operator = "%%>"


class KeysMatch(PostgresOperatorLookup):
    """`silahap_name_keys(name) @@ query::tsquery`, served by the GIN index of migration 0005."""

    lookup_name = "silahap_keys_match"
    postgres_operator = "@@"


class NameKeys(Func):
    function = "silahap_name_keys"


class TsQuery(Func):
    template = "%(expressions)s::tsquery"


class Similarity(Func):
    function = "SIMILARITY"
    output_field = FloatField()


class WordSimilarity(Func):
    function = "WORD_SIMILARITY"
    output_field = FloatField()


class Padded(Func):
    """The normalised name between spaces, so that a word's first and last trigrams match."""

    template = "(' ' || %(expressions)s || ' ')"


class Holds(Func):
    """1 when the string holds the substring, else 0 (SQLite)."""

    template = "(INSTR(%(expressions)s) > 0)"
    output_field = IntegerField()


def word_keys(word: str) -> set[str]:
    """The word and, from 3 letters, the word less any one letter: two words share a key when
    one letter was dropped, added, changed or two swapped (a symmetric-deletion index).
    Must match the SQL function silahap_name_keys of migration 0005."""
    if len(word) < 3:
        return {word}
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


LETTERS = "abcdefghijklmnopqrstuvwxyz"
VOWELS = "aeiou"


def one_slip_away(word: str) -> set[str]:
    """Every word one letter dropped, added, changed or two swapped away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    words = {word}
    words |= {left + right[1:] for left, right in splits if right}
    words |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    words |= {left + letter + right[1:] for left, right in splits if right for letter in LETTERS}
    words |= {left + letter + right for left, right in splits for letter in LETTERS}
    return {w for w in words if w}


def _keyed_words(words: list[str]) -> list[str]:
    # A single letter is what someone is still typing: it narrows nothing by key.
    return [word for word in dict.fromkeys(words) if len(word) >= 2]


# The asks of an index, in turn (see name_candidates).
EXACT, SLIPS, ALL_BUT_ONE = "exact", "slips", "all_but_one"


def _combine(groups: list[str], ask: str, conjunction: str, disjunction: str) -> str:
    if ask != ALL_BUT_ONE or len(groups) < 3:
        return f" {conjunction} ".join(groups)
    if len(groups) > limits.ALL_BUT_ONE_WORDS:
        # Each word is repeated once per other word: past a few words, the trigram ask instead.
        return ""
    # One word may be badly misspelt, or missing from the register: any n-1 of n will do.
    return f" {disjunction} ".join(
        "( " + f" {conjunction} ".join(groups[:i] + groups[i + 1 :]) + " )"
        for i in range(len(groups))
    )


def _spellings(word: str, ask: str, variants) -> set[str]:
    """The word as typed, and for a slip-tolerant ask the spellings one slip away, for a word
    short enough that their number stays small (about 54 per letter). The exact ask also takes
    the word with doubled letters typed once ("guii": gui), the likeliest slip of all."""
    if ask == EXACT:
        return {word, DOUBLED_LETTERS.sub(r"\1", word)}
    if len(word) > limits.SLIP_WORD_LENGTH:
        return {word}
    if len(word) < 3:
        # A word of two letters has no key one slip away (a key of one letter would match
        # half the registry); a vowel typed for another ("Go" for Gu) is the likeliest slip.
        return variants(word) | vowel_slips(word)
    return variants(word)


def vowel_slips(word: str) -> set[str]:
    """The word with one vowel typed as another, or y as i and i as y."""
    slips = set()
    for i, letter in enumerate(word):
        others = VOWELS if letter in VOWELS else ""
        others += {"y": "i", "i": "y"}.get(letter, "")
        slips |= {word[:i] + other + word[i + 1 :] for other in others if other != letter}
    return slips


def _terms(word: str, ask: str, still_typing: str, variants, quote, prefix) -> list[str]:
    terms = [quote(other) for other in sorted(_spellings(word, ask, variants))]
    if word == still_typing and len(word) >= MIN_QUERY_LENGTH:
        terms.append(prefix(word))
    return terms


def keys_query(words: list[str], ask: str = SLIPS, still_typing: str = "") -> str:
    """A tsquery: every typed word (or, asking ALL_BUT_ONE, all but one) is a word of the
    name (EXACT) or shares a key with one (SLIPS); the word still being typed may begin one."""
    groups = [
        "( "
        + " | ".join(_terms(word, ask, still_typing, word_keys, "'{}'".format, "'{}':*".format))
        + " )"
        for word in _keyed_words(words)
    ]
    return _combine(groups, ask, "&", "|")


def words_query(words: list[str], ask: str = SLIPS, still_typing: str = "") -> str:
    """The same ask as keys_query, as an FTS5 query: words one slip away are spelt out."""
    groups = [
        "( "
        + " OR ".join(_terms(word, ask, still_typing, one_slip_away, '"{}"'.format, '"{}"*'.format))
        + " )"
        for word in _keyed_words(words)
    ]
    return _combine(groups, ask, "AND", "OR")


def word_trigrams(normalized: str) -> list[str]:
    """The trigrams of each word padded with one space each side, without repeats."""
    grams: dict[str, None] = {}
    for word in normalized.split():
        padded = f" {word} "
        for i in range(len(padded) - 2):
            grams[padded[i : i + 3]] = None
    return list(grams)


def _vendor(queryset: QuerySet) -> str:
    return connections[queryset.db].vendor


def _sum(expressions: list):
    return sum(expressions[1:], start=expressions[0])


def _likeness(vendor: str, normalized: str, table: str) -> RawSQL:
    """A cheap first ordering, close to the final one: for each typed word, 3 when the name
    holds it whole, plus 1 when a word of the name starts with its first two letters and 1
    when one ends with its last two (so one typing error in the middle still scores).

    Written as SQL: built from expressions, it took the ORM longer to compile than the
    database to run."""
    column = f"(' ' || \"{table}\".\"normalized_name\" || ' ')"
    holds = (
        f"(STRPOS({column}, %s) > 0)::int"
        if vendor == "postgresql"
        else f"(INSTR({column}, %s) > 0)"
    )
    parts, params = [], []
    for word in dict.fromkeys(normalized.split()):
        parts += [f"3 * {holds}", holds, holds]
        params += [f" {word} ", f" {word[:2]}", f"{word[-2:]} "]
    return RawSQL(" + ".join(parts), params, output_field=IntegerField())


def _closest_first(queryset, normalized: str, count: int):
    """Distinct names (with how many persons bear each), the likeliest first: a common name
    borne by hundreds takes one place among the candidates, not hundreds. From the persons
    (grouped by name), or from the table of names (PersonName), which counts them already."""
    table = queryset.model._meta.db_table
    likeness = _likeness(_vendor(queryset), normalized, table)
    length_gap = RawSQL(
        f'ABS(LENGTH("{table}"."normalized_name") - %s)',
        [len(normalized)],
        output_field=IntegerField(),
    )
    if queryset.model is PersonName:
        rows = queryset.annotate(likeness=likeness, length_gap=length_gap)
    else:
        rows = queryset.values("normalized_name").annotate(
            bearers=Count("pk"), likeness=likeness, length_gap=length_gap
        )
    return rows.order_by("-likeness", "length_gap", "normalized_name").values_list(
        "normalized_name", "bearers"
    )[:count]


# A name's persons within a narrowed search are counted up to this many: enough to rank two
# equally close names by how many bear them, bounded however many do.
SCOPED_COUNT = 100


class CountOf(Subquery):
    """How many rows a (sliced) subquery gives."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def names_table(queryset: QuerySet[ForeignNational]) -> QuerySet[PersonName] | None:
    """The table of distinct current names, for a search of `queryset` on PostgreSQL, each
    with its `bearers`: for a queryset of every person (the lookup without a nationality or
    birth year, the search page without filters), the table's own count of unmerged persons;
    for a narrowed one, how many of its unmerged persons bear the name, up to SCOPED_COUNT,
    read by an index per name (person_by_name_scope, person_by_normalized_name) and only for
    the names a candidate query keeps (PostgreSQL evaluates a subquery of the select list after
    the sort and the limit). None where the persons must be read instead (SQLite)."""
    query = queryset.query
    if (
        _vendor(queryset) != "postgresql"
        or query.combinator
        or query.is_sliced
        or query.distinct
        or query.extra
        or query.annotations
    ):
        return None
    names = PersonName.objects.using(queryset.db).all()
    if not query.where:
        return names.annotate(bearers=F("persons"))
    scope = queryset.filter(merged_into__isnull=True, normalized_name=OuterRef("normalized_name"))
    return names.annotate(bearers=CountOf(scope.order_by().values("pk")[:SCOPED_COUNT]))


def keyed_candidates(
    queryset: QuerySet[ForeignNational],
    normalized: str,
    count: int = CANDIDATES,
    *,
    ask: str = SLIPS,
    still_typing: str = "",
    names: QuerySet[PersonName] | None = None,
):
    """Names whose words match the typed words as asked, the likeliest first, from an index:
    PostgreSQL's GIN index of word keys (of the names table, `names`, when given: see
    names_table), SQLite's FTS5 table of words."""
    words = normalized.split()
    if _vendor(queryset) == "postgresql":
        query = keys_query(words, ask, still_typing)
        condition: Q | KeysMatch = KeysMatch(NameKeys(F("normalized_name")), TsQuery(Value(query)))
        if names is not None:
            if not query:
                return names.none().values_list("normalized_name", "persons")
            return _closest_first(names.filter(condition), normalized, count)
    else:
        query = words_query(words, ask, still_typing)
        condition = Q(
            pk__in=RawSQL(
                f"SELECT rowid FROM {sqlite_words.TABLE} WHERE {sqlite_words.TABLE} MATCH %s",
                [query],
            )
        )
    if not query:
        return queryset.none().values_list("normalized_name", "normalized_name")
    return _closest_first(queryset.filter(condition), normalized, count)


def scanned_candidates(
    queryset: QuerySet[ForeignNational], normalized: str, count: int = CANDIDATES
):
    """SQLite's last resort: names holding a third of the typed words' trigrams (about
    pg_trgm's similarity threshold). Every row is read: slow on a big registry, and rare."""
    grams = word_trigrams(normalized)
    padded = Padded(F("normalized_name"))
    hits = _sum([Holds(padded, Value(gram)) for gram in grams])
    return _closest_first(
        queryset.alias(trigram_hits=hits).filter(
            trigram_hits__gte=max(1, math.ceil(len(grams) / 3))
        ),
        normalized,
        count,
    )


def name_candidates(
    queryset: QuerySet[ForeignNational],
    normalized: str,
    count: int = CANDIDATES,
    *,
    still_typing: str = "",
    enough: int = 1,
    names: QuerySet[PersonName] | None = None,
) -> list[tuple[str, int]]:
    """The database's candidate names for a normalised query, (name, persons), to be ranked.

    The indexes are asked in turn, each time only if what was found so far is not enough:
    the typed words as they are (enough: `enough` persons of names typed whole, or closer
    than any name a later ask could find (`_closest_found_later`), so a name typed right, or
    with a letter left out, is found fast however common); then within one slip each (enough:
    one close name);
    from 3 words, all words but one; last, names sharing trigrams with the query.
    With `names` (names_table), the names and their persons are read from it, not the persons.
    """
    typed = normalized.split()
    candidates: list[tuple[str, int]] = []

    def close_persons() -> int:
        return sum(
            persons
            for name, persons in candidates
            if name_closeness(typed, name.split(), still_typing) >= CLOSE_MATCH
        )

    def add(rows) -> None:
        # A name none of a narrowed search's persons bear (names_table) is no candidate.
        seen = {name for name, _persons in candidates}
        candidates.extend(row for row in rows if row[0] not in seen and row[1])

    add(
        keyed_candidates(
            queryset, normalized, count, ask=EXACT, still_typing=still_typing, names=names
        )
    )
    if sum(persons for name, persons in candidates if name.split() == typed) >= enough:
        return candidates
    bound = _closest_found_later(queryset, typed)
    if (
        sum(
            persons
            for name, persons in candidates
            if name_closeness(typed, name.split(), still_typing) > bound
        )
        >= enough
    ):
        # Nothing the later asks find could be shown: the list is the same, without them.
        return candidates
    add(
        keyed_candidates(
            queryset, normalized, count, ask=SLIPS, still_typing=still_typing, names=names
        )
    )
    if len(_keyed_words(typed)) >= 3 and not close_persons():
        add(keyed_candidates(queryset, normalized, count, ask=ALL_BUT_ONE, names=names))
    if not close_persons():
        if _vendor(queryset) == "postgresql":
            add(trigram_candidates(queryset, normalized, count, names=names))
        else:
            add(scanned_candidates(queryset, normalized, count))
    return candidates


def _closest_found_later(queryset: QuerySet, typed: list[str]) -> float:
    """How close, at most, a name the exact ask did not find can be to the typed words.

    On PostgreSQL the exact ask finds every name whose words each are a typed word, the typed
    word with a letter added (a key of theirs: "yag" finds Yang), its doubled letters typed
    once (`_spellings`), or begin with the word still being typed. Any other name holds a
    typed word only with a letter changed, swapped or added by the typist, or farther: at
    least one typed letter's worth of closeness lost (word_closeness: an edit costs a word of
    n letters 1/n of its n letters), so at most 1 - 1/letters typed. Names closer than that
    which fill the list are all the list shows: the later asks can only add names below them.
    SQLite's exact ask finds whole words only: there only a name typed whole ends the search
    early (returns 1, which no name exceeds). So does a word too long to be ranked whole."""
    if _vendor(queryset) != "postgresql" or any(
        len(word) > limits.RANKED_WORD_LENGTH for word in typed
    ):
        return 1.0
    return 1 - 1 / max(1, sum(len(word) for word in typed))


# A name this close is what was meant, give or take a slip: no need to look further.
CLOSE_MATCH = 0.8


def trigram_candidates(
    queryset: QuerySet[ForeignNational],
    normalized: str,
    count: int = CANDIDATES,
    *,
    names: QuerySet[PersonName] | None = None,
):
    """PostgreSQL's last resort: names like the query as a whole (pg_trgm similarity) or like
    a run of their words (word similarity), from the GIN trigram index (of the names table,
    `names`, when given)."""
    source: QuerySet = queryset if names is None else names
    similar = source.filter(
        TrigramSimilar(F("normalized_name"), Value(normalized))
        | TrigramWordSimilar(F("normalized_name"), Value(normalized))
    )
    closeness = Greatest(
        Similarity(F("normalized_name"), Value(normalized)),
        WordSimilarity(Value(normalized), F("normalized_name")),
    )
    rows: QuerySet
    if names is None:
        rows = similar.values("normalized_name").annotate(bearers=Count("pk"), closeness=closeness)
    else:
        rows = similar.annotate(closeness=closeness)
    return rows.order_by("-closeness", "normalized_name").values_list("normalized_name", "bearers")[
        :count
    ]


@lru_cache(maxsize=65536)
def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: a swap of two neighbouring letters is one edit."""
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


@lru_cache(maxsize=65536)
def word_closeness(typed: str, stored: str, still_typing: bool = False) -> float:
    """1 for the same word; less per typing error; a doubled letter is nearly no error, and the
    start of a word nearly a match when it is the word still being typed."""
    if typed == stored:
        return 1.0
    if DOUBLED_LETTERS.sub(r"\1", typed) == DOUBLED_LETTERS.sub(r"\1", stored):
        # "Jamaal" for Jamal, "Mohamad" for Mohammad: the likeliest slip of all.
        return 0.95
    if still_typing and len(typed) >= MIN_QUERY_LENGTH and stored.startswith(typed):
        return 0.85 + 0.1 * len(typed) / len(stored)
    # The distance costs the product of the lengths: a very long word is compared by its start.
    typed, stored = typed[: limits.RANKED_WORD_LENGTH], stored[: limits.RANKED_WORD_LENGTH]
    return max(0.0, 1 - edit_distance(typed, stored) / max(len(typed), len(stored)))


def name_closeness(
    typed_words: list[str], stored_words: list[str], still_typing: str = ""
) -> float:
    """How well the typed words match a stored name, in [0, 1] (see the module docstring);
    `still_typing` is the word typed last, which may be unfinished."""
    if typed_words == stored_words:
        return 1.0
    unused = list(stored_words)
    matched = total = 0.0
    for typed in sorted(typed_words, key=len, reverse=True):
        total += len(typed)
        if not unused:
            continue
        prefix = typed == still_typing
        best = max(unused, key=lambda stored: word_closeness(typed, stored, prefix))
        matched += len(typed) * word_closeness(typed, best, prefix)
        unused.remove(best)
    untyped = sum(len(word) for word in unused) / max(1, sum(len(w) for w in stored_words))
    return max(0.0, matched / max(1.0, total) - 0.15 * untyped)


def rank_names(normalized: str, candidates, still_typing: str = "") -> list[tuple[str, int, float]]:
    """The candidates (name, persons) with their closeness, closest name first; ties keep the
    database's order."""
    typed = normalized.split()
    # Of two names as close, the one more persons bear is likelier the one meant ("Chan Ming":
    # Chen Ming borne by 300 beats Chan Min borne by 2); the database's order breaks the rest.
    scored = [
        (-round(name_closeness(typed, name.split(), still_typing), 6), -persons, position, name)
        for position, (name, persons) in enumerate(candidates)
    ]
    return [(name, -persons, -score) for score, persons, _position, name in sorted(scored)]


def compact_document_number(query: str) -> str:
    return "".join(query.split()).upper()


def is_document_query(query: str) -> bool:
    """Names have no digits; document numbers nearly always do."""
    number = compact_document_number(query)
    return bool(DOCUMENT_NUMBER.match(number)) and any(ch.isdigit() for ch in number)


def _document_condition(queryset: QuerySet, number: str) -> Q:
    """Persons with a document numbered so, or starting so."""
    if _vendor(queryset) == "postgresql":
        # LIKE 'E12%', which the varchar_pattern_ops index of migration 0005 serves under any
        # collation.
        return Q(documents__number__startswith=number)
    # SQLite's LIKE ignores case and so cannot use an index; a range in binary order can.
    return Q(documents__number__gte=number, documents__number__lt=number + "\U0010ffff")


def document_matches(queryset: QuerySet[ForeignNational], number: str, limit: int) -> QuerySet:
    """Persons holding this document number, then those whose number starts with it (in number
    order the exact number, the shortest, comes first). A person may come twice: dedupe."""
    return queryset.filter(_document_condition(queryset, number)).order_by(
        "documents__number", "pk"
    )[: limit * 2]


BIRTH_YEAR = re.compile(r"^(19|20)[0-9]{2}$")
NATIONALITY_CODE = re.compile(r"^[A-Za-z]{2}$")


@dataclass(frozen=True)
class LookupTerms:
    """What an officer typed in the check form's one box: a name, and maybe a birth year and a
    nationality that tell apart persons of the same name."""

    name: str
    nationality: str = ""
    birth_year: int | None = None


def nationality_code(code: str) -> str:
    """The code, upper-cased, when it names a nationality; else ""."""

    code = code.upper()
    if not NATIONALITY_CODE.match(code):
        return ""
    if code in (STATELESS, UNKNOWN):
        return code

    return code if pycountry.countries.get(alpha_2=code) is not None else ""


def lookup_terms(text: str) -> LookupTerms:
    """Split "Zhang Wei, CN, 1985" (or "Zhang Wei 1985", or "Zhang Wei CN") into the name, the
    nationality and the birth year. A birth year is four digits from 1900; a nationality is a
    two-letter code after a comma, or the last word in capitals after a name of two words or
    more ("Li Na" stays a name). A document number (letters and digits) is left whole; with a
    year, a word of three letters or two words of letters make it a name ("Gu Bo 1976")."""
    words = text.replace(",", " ").split()
    # A word of three letters, or two words of letters ("Gu Bo 1976"), make it a name.
    alphabetic = [word for word in words if word.isalpha()]
    named = len(alphabetic) >= 2 or any(len(word) >= 3 for word in alphabetic)
    if is_document_query(text) and not (named and any(BIRTH_YEAR.match(w) for w in words)):
        return LookupTerms(name=text)
    parts = text.split(",")
    name_words: list[str] = []
    nationality = ""
    birth_year = None
    for index, part in enumerate(parts):
        for word in part.split():
            if BIRTH_YEAR.match(word):
                birth_year = int(word)
            elif index > 0 and NATIONALITY_CODE.match(word) and nationality_code(word):
                nationality = nationality_code(word)
            else:
                name_words.append(word)
    if (
        not nationality
        and len(name_words) >= 3
        and NATIONALITY_CODE.match(name_words[-1])
        and name_words[-1].isupper()
        and not all(word.isupper() for word in name_words[:-1])
        and nationality_code(name_words[-1])
    ):
        nationality = nationality_code(name_words.pop())
    return LookupTerms(" ".join(name_words), nationality, birth_year)


def narrowed(queryset: QuerySet[ForeignNational], terms: LookupTerms) -> QuerySet:
    """The persons of that nationality and birth year (each when given): a range of the index
    person_duplicate_block (nationality, birth date, name)."""

    if terms.nationality:
        queryset = queryset.filter(nationality=terms.nationality)
    if terms.birth_year:
        queryset = queryset.filter(
            birth_date__gte=datetime.date(terms.birth_year, 1, 1),
            birth_date__lt=datetime.date(terms.birth_year + 1, 1, 1),
        )
    return queryset


@dataclass(frozen=True)
class PersonSearch:
    """A query as understood: by document number or by name, and the word typed last."""

    query: str
    normalized: str
    by_document: bool
    # The last word typed, normalised: maybe unfinished, so the start of a word matches it.
    still_typing: str


def searched_words(normalized: str) -> str:
    """The normalised words a search works with: all of them up to SEARCH_WORDS, else that
    many of the longest (the likeliest to tell names apart), still in sorted order."""
    words = normalized.split()
    if len(words) <= limits.SEARCH_WORDS:
        return normalized
    distinct = list(dict.fromkeys(words))
    kept = set(sorted(distinct, key=lambda word: (-len(word), word))[: limits.SEARCH_WORDS])
    return " ".join(word for word in distinct if word in kept)


def understand(query: str, longest: int = limits.SEARCH_TERM) -> PersonSearch:
    """Raise QueryTooShort for fewer than MIN_QUERY_LENGTH characters and TermTooLong for more
    than `longest`; say how to search."""
    query = " ".join(bounded_term(query, longest).split())
    if len(query) < MIN_QUERY_LENGTH:
        raise QueryTooShort(query)
    normalized = searched_words(normalize_name(query))
    last = normalize_name(query.split()[-1]).split()
    still_typing = last[-1] if last else ""
    return PersonSearch(
        query=query,
        normalized=normalized,
        by_document=is_document_query(query),
        still_typing=still_typing if still_typing in normalized.split() else "",
    )


def quotas(ranked: list[tuple[str, int, float]], limit: int) -> dict[str, int]:
    """How many persons of each ranked (name, persons, closeness) to show for `limit`.

    Names as close as each other share: first one person of each, best name first, then the
    best names' other persons; only then the next closest names. A slip ("Ajrun Mishra") shows
    every name it may equally have meant (Arun and Arjun Mishra), not five persons of the
    commonest; a name closer than the rest ("Efng Jia": Feng Jia) keeps its persons."""
    shown: dict[str, int] = {}
    left = limit
    for _closeness, tier in groupby(ranked, key=lambda entry: entry[2]):
        names = [(name, persons) for name, persons, _closeness in tier][:left]
        for name, _persons in names:
            shown[name] = 1
        left -= len(names)
        for name, persons in names:
            more = min(persons - 1, left)
            shown[name] += more
            left -= more
        if left <= 0:
            break
    return shown


@dataclass(frozen=True)
class Named:
    """The best-ranked names of a search: how many persons of each to show (`quotas`), how
    many bear each, and each name's rank for `best_first`."""

    shown: dict[str, int]
    persons: dict[str, int]
    rank: dict[str, tuple[float, int]]


def _named(
    queryset: QuerySet[ForeignNational],
    search: PersonSearch,
    limit: int,
    names: QuerySet[PersonName] | None = None,
) -> Named:
    """The names to show for `limit` (see Named)."""
    # A name typed whole that fills the list ends the search; one that does not (one person
    # named "Hu Yimin") leaves room for the names one slip away ("Hu Yumin").
    candidates = name_candidates(
        queryset, search.normalized, still_typing=search.still_typing, enough=limit, names=names
    )
    ranked = rank_names(search.normalized, candidates, search.still_typing)
    shown = quotas(ranked, limit)
    found = {name: (persons, closeness) for name, persons, closeness in ranked}
    # Each name's distance (less close first), then its place among the names.
    rank = {name: (-found[name][1], position) for position, name in enumerate(shown)}
    return Named(shown, {name: found[name][0] for name in shown}, rank)


def _bearers(queryset: QuerySet, named: Named) -> QuerySet:
    """The persons bearing the shown names, as many of each as its quota: the first by pk
    (persons of one name cannot be told apart by name). `queryset` may be a values_list.

    PostgreSQL reads each name's first few persons by the index person_by_normalized_name, a
    range per name, however many bear it; SQLite numbers every person of the names cut."""
    shown = named.shown
    if not shown:
        return queryset.none()
    if _vendor(queryset) == "postgresql":
        parts = [
            queryset.filter(normalized_name=name).order_by("pk")[:quota]
            for name, quota in shown.items()
        ]
        return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    named_persons = queryset.filter(normalized_name__in=list(shown))
    cut = {name: quota for name, quota in shown.items() if quota < named.persons[name]}
    if cut:
        # Only the names not shown whole are cut, by their persons' order within the name.
        named_persons = named_persons.alias(
            nth=Window(RowNumber(), partition_by=[F("normalized_name")], order_by=F("pk").asc())
        )
        by_quota: dict[int, list[str]] = {}
        for name, quota in cut.items():
            by_quota.setdefault(quota, []).append(name)
        either = ~Q(normalized_name__in=list(cut))
        for quota, names in by_quota.items():
            either |= Q(normalized_name__in=names, nth__lte=quota)
        named_persons = named_persons.filter(either)
    return named_persons


def best_first(rows: list[tuple[str, int, T]], rank: dict[str, tuple[float, int]]) -> list[T]:
    """The items of (name, pk, item) rows in the order shown: the closest names first; among
    names as close as each other, one person of each, best name first, so the first few
    suggestions hold every name a slip may equally have meant; then their other persons."""
    rows = sorted(rows, key=lambda row: (rank[row[0]], row[1]))
    firsts: set[str] = set()
    keyed = []
    for name, pk, item in rows:
        distance, position = rank[name]
        later = name in firsts
        firsts.add(name)
        keyed.append(((distance, later, position, pk), item))
    return [item for _key, item in sorted(keyed, key=lambda pair: pair[0])]


def search_person_ids(queryset: QuerySet[ForeignNational], query: str, limit: int) -> list[int]:
    """Pks of the persons a query finds, best first (raises QueryTooShort, TermTooLong)."""
    search = understand(query)
    names = names_table(queryset)
    queryset = queryset.filter(merged_into__isnull=True)
    if search.by_document:
        number = compact_document_number(search.query)
        found = document_matches(queryset, number, limit).values_list("pk", flat=True)
        return list(dict.fromkeys(found))[:limit]
    if not search.normalized:
        return []
    named = _named(queryset, search, limit, names)
    rows = [
        (name, pk, pk)
        for name, pk in _bearers(queryset.values_list("normalized_name", "pk"), named)
    ]
    return best_first(rows, named.rank)[:limit]


def search_persons(
    queryset: QuerySet[ForeignNational],
    query: str,
    limit: int = 10,
    *,
    related: bool = True,
    longest: int = limits.LOOKUP_TERM,
) -> list[ForeignNational]:
    """Persons matching a name (typos, any word order, accents and case ignored) or a document
    number (exact or its start), best match first; [] for a query under 3 characters;
    TermTooLong for one over `longest` (search-as-you-type: LOOKUP_TERM).

    `queryset` carries the caller's scope and filters (visible_to, nationality, permit status,
    sponsor, place). With `related`, each person's documents and permits are prefetched.
    """
    try:
        search = understand(query, longest)
    except QueryTooShort:
        return []
    names = names_table(queryset)
    queryset = queryset.filter(merged_into__isnull=True)
    if search.by_document:
        rows = document_matches(queryset, compact_document_number(search.query), limit)
        persons = list({person.pk: person for person in rows}.values())[:limit]
    elif search.normalized:
        named = _named(queryset, search, limit, names)
        persons = best_first(
            [(person.normalized_name, person.pk, person) for person in _bearers(queryset, named)],
            named.rank,
        )[:limit]
    else:
        persons = []
    if related:
        prefetch_related_objects(persons, "documents", "permits")
    return persons


EARTH_RADIUS_M = 6_371_000


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres (haversine); enough precision for 'nearest place'."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = phi2 - phi1
    dlambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def places_near(
    queryset: QuerySet[Place], latitude, longitude, radius_m: int = 5000, limit: int = 10
) -> list[tuple[Place, float]]:
    """Places within a radius of a point, nearest first, with their distance in metres."""
    latitude, longitude = Decimal(str(latitude)), Decimal(str(longitude))
    # A bounding box the index can use, then the exact distance in Python on the few left.
    dlat = Decimal(radius_m / 111_320)
    dlon = Decimal(radius_m / (111_320 * max(0.01, math.cos(math.radians(float(latitude))))))
    candidates = queryset.filter(
        merged_into__isnull=True,
        latitude__range=(latitude - dlat, latitude + dlat),
        longitude__range=(longitude - dlon, longitude + dlon),
    ).select_related("regency")[:500]
    ranked = [
        (place, distance_m(latitude, longitude, place.latitude, place.longitude))
        for place in candidates
    ]
    ranked = [(place, d) for place, d in ranked if d <= radius_m]
    return sorted(ranked, key=lambda pair: pair[1])[:limit]


def place_name_condition(query: str, longest: int = limits.SEARCH_TERM) -> Q:
    """Places whose name holds every word of the query (at most SEARCH_WORDS of its longest),
    accents and case ignored; TermTooLong for a query over `longest` characters."""
    condition = Q()
    for word in searched_words(normalize_name(bounded_term(query, longest))).split():
        condition &= Q(normalized_name__contains=word)
    return condition


def search_places(
    queryset: QuerySet[Place], query: str, limit: int = 10, longest: int = limits.LOOKUP_TERM
) -> list[Place]:
    """The place picker's matches by name (TermTooLong over `longest` characters)."""
    condition = place_name_condition(query, longest)
    if not condition or len(query.strip()) < MIN_QUERY_LENGTH:
        return []
    return list(
        queryset.filter(merged_into__isnull=True)
        .filter(condition)
        .select_related("regency")
        .order_by("name")[:limit]
    )


def sponsor_condition(query: str, longest: int = limits.SEARCH_TERM) -> Q:
    """Sponsors whose name holds the query, or whose NIK / NIB it is (separators ignored);
    TermTooLong for a query over `longest` characters."""
    query = bounded_term(query, longest)
    digits = re.sub(r"[\s.\-]", "", query)
    condition = Q(name__icontains=query)
    if digits.isdigit():
        condition |= Q(identity_number=digits)
    return condition
