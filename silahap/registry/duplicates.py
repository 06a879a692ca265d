"""Likely duplicate persons and places, found by blocking on indexed keys, never by comparing
every record with every other.

Persons are proposed in pairs two ways:

- by document: two persons holding a travel document of the same number (with the same issuing
  country that cannot happen, the number being unique with it; so: another country). Document
  numbers with more than one holder are grouped in number order on the number's index.
- by name: two persons of the same nationality and date of birth whose normalised names are
  the same or within the search's typing-error tolerance (search.name_closeness). Persons are
  read in blocks of one nationality and one date of birth, in the order of the index
  person_duplicate_block, and compared only within their block.

Places: the same normalised name, both with a point, within 100 m of each other.

A list is read a page at a time from a cursor (the last key read), so no page reads the whole
registry; a page that reached its reading budget before filling offers to read on. Pairs
someone marked "not a duplicate" and merged records are never proposed.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Count, QuerySet
from django.db.models.expressions import RawSQL

from silahap.accounts import access
from silahap.accounts.models import Membership
from silahap.registry.models import (
    ForeignNational,
    PairDecisionQuerySet,
    PersonPairDecision,
    Place,
    PlacePairDecision,
    TravelDocument,
)
from silahap.registry.search import CLOSE_MATCH, distance_m, name_closeness

PAGE_SIZE = 20
# Rows read per query, and queries per page: a page reads at most CHUNK * READS rows.
CHUNK = 2000
READS = 5
# Beyond this many persons of one nationality born on one day (a placeholder date, say),
# only identical names are paired: comparing every pair would cost the square of it.
LARGE_BLOCK = 200
PLACE_DISTANCE_M = 100
BY_DOCUMENT, BY_NAME = "document", "name"
# Who may merge or dismiss candidates: the registry is national and a merge rewrites history
# across offices, so it takes a leader's or an office administrator's judgement.
DECIDING_ROLES = (Membership.Role.LEADER, Membership.Role.ADMIN)


def may_decide(user) -> bool:
    """Leaders and office administrators of immigration (and superusers) merge and dismiss."""
    if user is None or not access.is_immigration_staff(user):
        return False
    return user.is_superuser or bool(access.units_with_role(user, DECIDING_ROLES))


def relations_to(model) -> list:
    """Every foreign key and one-to-one field of any model that points at `model`, hidden
    ones (related_name="+", automatic many-to-many tables) included."""
    return [
        relation
        for relation in model._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and (relation.one_to_many or relation.one_to_one)
    ]


@dataclass
class Pair:
    # Two persons or two places.
    first: ForeignNational | Place
    second: ForeignNational | Place
    # BY_DOCUMENT and/or BY_NAME; for places, the distance in metres.
    reasons: set[str] = field(default_factory=set)
    distance_m: float | None = None

    @property
    def key(self) -> str:
        return f"{self.first.pk}-{self.second.pk}"


@dataclass
class CandidatePage:
    pairs: list[Pair]
    # Where the next page starts reading; None when the whole registry has been read.
    after: str | None
    # True when the page stopped at its reading budget rather than full.
    budget_spent: bool = False


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _decided(decisions: PairDecisionQuerySet, ids) -> set[tuple[int, int]]:
    """The pairs among `ids` someone said are not duplicates."""
    ids = set(ids)
    if len(ids) < 2:
        return set()
    return set(decisions.among(ids).values_list("first_id", "second_id"))


def similar_names(a: str, b: str) -> bool:
    """The same normalised name, or one within the search's tolerance of the other."""
    if a == b:
        return True
    words_a, words_b = a.split(), b.split()
    closeness = max(name_closeness(words_a, words_b), name_closeness(words_b, words_a))
    return closeness >= CLOSE_MATCH


def _block_pairs(rows: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Pairs of persons within one nationality-and-birth-date block with similar names."""
    if len(rows) > LARGE_BLOCK:
        by_name: dict[str, list[int]] = defaultdict(list)
        for pk, name in rows:
            by_name[name].append(pk)
        return [
            _ordered(a, b)
            for pks in by_name.values()
            for a, b in itertools.combinations(sorted(pks), 2)
        ]
    return sorted(
        _ordered(pk_a, pk_b)
        for (pk_a, name_a), (pk_b, name_b) in itertools.combinations(rows, 2)
        if similar_names(name_a, name_b)
    )


def _block_cursor(after: str) -> tuple[str, datetime.date] | None:
    nationality, _sep, day = after.partition("|")
    try:
        return nationality, datetime.date.fromisoformat(day)
    except ValueError:
        return None


def _cursor_text(cursor) -> str | None:
    if cursor is None:
        return None
    nationality, day = cursor
    return f"{nationality}|{day.isoformat()}"


def _after_block(queryset: QuerySet, nationality: str, day: datetime.date) -> QuerySet:
    # A row comparison: the index serves it as one range, where an OR of two would not be.
    return queryset.filter(
        RawSQL(
            '("registry_foreignnational"."nationality", "registry_foreignnational"."birth_date")'
            " > (%s, %s)",
            [nationality, day],
            output_field=BooleanField(),
        )
    )


def _whole_large_block(current: QuerySet, nationality: str, day: datetime.date):
    """A block bigger than a chunk: only its persons sharing a name, found by grouping."""
    block = current.filter(nationality=nationality, birth_date=day)
    shared = (
        block.values("normalized_name")
        .annotate(persons=Count("pk"))
        .filter(persons__gt=1)
        .values_list("normalized_name", flat=True)[:CHUNK]
    )
    return list(block.filter(normalized_name__in=list(shared)).values_list("pk", "normalized_name"))


Found = dict[tuple[int, int], set[str]]


def _name_pairs(persons: QuerySet, after: str) -> tuple[Found, str | None, bool]:
    current = persons.filter(merged_into__isnull=True, birth_date__isnull=False)
    cursor = _block_cursor(after) if after else None
    found: Found = {}
    for _read in range(READS):
        rows = current if cursor is None else _after_block(current, *cursor)
        chunk = list(
            rows.order_by("nationality", "birth_date", "normalized_name").values_list(
                "nationality", "birth_date", "pk", "normalized_name"
            )[:CHUNK]
        )
        blocks: dict[tuple[str, datetime.date], list[tuple[int, str]]] = defaultdict(list)
        for nationality, day, pk, name in chunk:
            blocks[(nationality, day)].append((pk, name))
        complete = len(chunk) < CHUNK
        large = not complete and len(blocks) == 1
        if not complete and not large:
            # The last block may go on beyond this chunk: it is read whole next time.
            blocks.popitem()
        if large:
            blocks = {key: _whole_large_block(current, *key) for key in blocks}
        decided = _decided(
            PersonPairDecision.objects.all(),
            (pk for rows_of in blocks.values() for pk, _n in rows_of),
        )
        for position, (key, rows_of_block) in enumerate(blocks.items(), start=1):
            for pair in _block_pairs(rows_of_block):
                if pair not in decided:
                    found.setdefault(pair, set()).add(BY_NAME)
            cursor = key
            if len(found) >= PAGE_SIZE and not (complete and position == len(blocks)):
                return found, _cursor_text(cursor), False
        if complete:
            return found, None, False
    return found, _cursor_text(cursor), True


def _document_pairs(persons: QuerySet, after: str) -> tuple[Found, str | None, bool]:
    # The registry is national: the caller's persons are all of them or, for a partner, none;
    # joining the documents to every person would only slow the grouping down.
    documents = (
        TravelDocument.objects.none() if persons.query.is_empty() else TravelDocument.objects
    )
    found: Found = {}
    last = after
    for _read in range(READS):
        shared = documents.filter(number__gt=last) if last else documents
        numbers = list(
            shared.values("number")
            .annotate(holders=Count("person", distinct=True))
            .filter(holders__gt=1)
            .order_by("number")
            .values_list("number", flat=True)[:PAGE_SIZE]
        )
        holders: dict[str, set[int]] = defaultdict(set)
        for number, person in documents.filter(number__in=numbers).values_list(
            "number", "person_id"
        ):
            holders[number].add(person)
        decided = _decided(PersonPairDecision.objects.all(), set().union(*holders.values()))
        for pks in holders.values():
            for pair in itertools.combinations(sorted(pks), 2):
                if pair not in decided:
                    found.setdefault(pair, set()).add(BY_DOCUMENT)
        if len(numbers) < PAGE_SIZE:
            return found, None, False
        last = numbers[-1]
        if len(found) >= PAGE_SIZE:
            return found, last, False
    return found, last, True


def person_candidates(
    persons: QuerySet[ForeignNational], by: str, after: str = ""
) -> CandidatePage:
    """A page of likely duplicate pairs among `persons` (the caller's visible_to), found
    `by` document or by name, from the cursor `after`; each person with documents, permits
    and their number of checks."""
    finder = _document_pairs if by == BY_DOCUMENT else _name_pairs
    found, cursor, budget_spent = finder(persons, after)
    ids = {pk for pair in found for pk in pair}
    loaded = {
        person.pk: person
        for person in persons.filter(pk__in=ids, merged_into__isnull=True)
        .annotate(check_count=Count("checks"))
        .select_related("sponsor")
        .prefetch_related("documents", "permits")
    }
    _add_other_reason(found, loaded, by)
    pairs = [
        Pair(first=loaded[a], second=loaded[b], reasons=reasons)
        for (a, b), reasons in sorted(found.items())
        if a in loaded and b in loaded
    ]
    return CandidatePage(pairs=pairs, after=cursor, budget_spent=budget_spent)


def _add_other_reason(found: dict, loaded: dict, by: str) -> None:
    """A pair found one way may also be a pair the other way: say so, from what is loaded."""
    for (a, b), reasons in found.items():
        if a not in loaded or b not in loaded:
            continue
        first, second = loaded[a], loaded[b]
        if by == BY_DOCUMENT:
            if (
                first.birth_date is not None
                and (first.nationality, first.birth_date) == (second.nationality, second.birth_date)
                and similar_names(first.normalized_name, second.normalized_name)
            ):
                reasons.add(BY_NAME)
        else:
            numbers = {document.number for document in first.documents.all()}
            if numbers & {document.number for document in second.documents.all()}:
                reasons.add(BY_DOCUMENT)


def place_candidates(places: QuerySet[Place], after: str = "") -> CandidatePage:
    """A page of pairs of current places with the same normalised name within 100 m, in name
    order from the cursor `after`; each place with its number of activities and tasks."""
    current = places.filter(merged_into__isnull=True, latitude__isnull=False)
    found: Found = {}
    distances: dict[tuple[int, int], float] = {}
    last: str | None = after
    budget_spent = True
    for _read in range(READS):
        rows = current.filter(normalized_name__gt=last) if last else current
        names = list(
            rows.values("normalized_name")
            .annotate(places=Count("pk"))
            .filter(places__gt=1)
            .order_by("normalized_name")
            .values_list("normalized_name", flat=True)[:PAGE_SIZE]
        )
        by_name: dict[str, list[tuple[int, Decimal | None, Decimal | None]]] = defaultdict(list)
        for pk, name, latitude, longitude in current.filter(normalized_name__in=names).values_list(
            "pk", "normalized_name", "latitude", "longitude"
        ):
            by_name[name].append((pk, latitude, longitude))
        decided = _decided(
            PlacePairDecision.objects.all(),
            (pk for points in by_name.values() for pk, *_ in points),
        )
        for points in by_name.values():
            for (a, lat_a, lng_a), (b, lat_b, lng_b) in itertools.combinations(points, 2):
                pair = _ordered(a, b)
                distance = distance_m(lat_a, lng_a, lat_b, lng_b)
                if distance <= PLACE_DISTANCE_M and pair not in decided:
                    found[pair] = {"place"}
                    distances[pair] = distance
        if len(names) < PAGE_SIZE:
            last, budget_spent = None, False
            break
        last = names[-1]
        if len(found) >= PAGE_SIZE:
            budget_spent = False
            break
    ids = {pk for pair in found for pk in pair}
    loaded = {
        place.pk: place
        for place in current.filter(pk__in=ids)
        .select_related("regency", "district", "village")
        .annotate(
            activity_count=Count("activities", distinct=True),
            task_count=Count("tasks", distinct=True),
        )
    }
    pairs = [
        Pair(first=loaded[a], second=loaded[b], reasons=reasons, distance_m=distances[(a, b)])
        for (a, b), reasons in sorted(found.items())
        if a in loaded and b in loaded
    ]
    return CandidatePage(pairs=pairs, after=last, budget_spent=budget_spent)
