"""Measure person search: latency of search_persons beside the same query as raw SQL, and
recall@5 on misspelt names."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from silahap.insights.bench.misspell import misspell
from silahap.insights.bench.population import bench_persons
from silahap.registry import search
from silahap.registry.models import ForeignNational

# Issue "Registry I": on PostgreSQL with a million persons.
NAME_P95_TARGET_MS = 50.0
DOCUMENT_P95_TARGET_MS = 5.0
RECALL_TARGET = 0.97
# The intended person (not only a person of that name) when nationality or birth year is given.
PERSON_RECALL_TARGET = 0.99
RECALL_AT = 5
WARM_UP = 20

T = TypeVar("T")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Timing:
    label: str
    function_ms: list[float] = field(default_factory=list)
    raw_ms: list[float] = field(default_factory=list)

    def line(self, which: str) -> tuple[float, float]:
        values = self.function_ms if which == "function" else self.raw_ms
        return percentile(values, 0.5), percentile(values, 0.95)


@dataclass
class Sample:
    pk: int
    full_name: str
    normalized_name: str
    document_number: str
    nationality: str = ""
    birth_year: int | None = None


def sample_persons(count: int, rng: random.Random) -> list[Sample]:
    """`count` bench persons drawn at random (by id, so without scanning a million rows)."""
    bounds = bench_persons().order_by("pk").values_list("pk", flat=True)
    low, high = bounds.first(), bench_persons().order_by("-pk").values_list("pk", flat=True)[0]
    chosen: dict[int, Sample] = {}
    while len(chosen) < count:
        ids = [rng.randint(low, high) for _ in range(count * 2)]
        for person in bench_persons().filter(pk__in=ids).prefetch_related("documents"):
            if len(chosen) < count and person.documents.all():
                chosen[person.pk] = Sample(
                    person.pk,
                    person.full_name,
                    person.normalized_name,
                    person.documents.all()[0].number,
                    person.nationality.code,
                    person.birth_date.year if person.birth_date else None,
                )
    return list(chosen.values())


def _time(function: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = function()
    return (time.perf_counter() - started) * 1000, result


def _statements(function: Callable[[], object]) -> list[str]:
    """The SQL statements a call sends, as the database received them."""
    # The log keeps 9,000 entries; once full, a capture would see nothing new.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        function()
    return [query["sql"] for query in captured.captured_queries]


def _replay(statements: list[str]) -> float:
    """Milliseconds to send the same statements straight through a cursor, fetching all rows."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in statements:
            # Already interpolated by the driver: sent without parameters, as it is.
            cursor.execute(statement)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def _measure(timing: Timing, function: Callable[[], T]) -> T:
    """Time the call, then the very statements it sent as raw SQL (both warm)."""
    elapsed, result = _time(function)
    timing.function_ms.append(elapsed)
    timing.raw_ms.append(_replay(_statements(function)))
    return result


def measure_names(samples: list[Sample], rng: random.Random, edits: int) -> tuple[Timing, float]:
    """Time misspelt-name searches and count how often the name is among the first five."""
    persons = ForeignNational.objects.all()
    timing = Timing("name")
    hits = 0
    queries = [misspell(rng, sample.full_name, edits)[0] for sample in samples]
    for query in queries[:WARM_UP]:
        search.search_persons(persons, query, 10)
    for sample, query in zip(samples, queries, strict=True):
        found = _measure(timing, partial(search.search_persons, persons, query, 10))
        top = [person.normalized_name for person in found[:RECALL_AT]]
        # Two persons of the same name cannot be told apart by name: either one is a hit.
        hits += sample.normalized_name in top
    return timing, hits / len(samples)


def measure_persons(samples: list[Sample], rng: random.Random, given: str) -> tuple[float, float]:
    """How often the intended person is among the first five when the officer types the name
    with one slip and also the nationality (", CN") or the birth year (" 1985") in the box, as
    the lookup endpoint reads it (search.lookup_terms, search.narrowed); and the most any
    search could reach: when k persons share the name and what was given, a list of five
    holds the intended one at best 5 times in k."""
    persons = ForeignNational.objects.all()
    hits = 0
    reachable = 0.0
    for sample in samples:
        query, _edits = misspell(rng, sample.full_name, 1)
        extra = f", {sample.nationality}" if given == "nationality" else f" {sample.birth_year}"
        terms = search.lookup_terms(query + extra)
        found = search.search_persons(search.narrowed(persons, terms), terms.name, RECALL_AT)
        hits += sample.pk in [person.pk for person in found[:RECALL_AT]]
        alike = persons.filter(normalized_name=sample.normalized_name, merged_into__isnull=True)
        if given == "nationality":
            alike = alike.filter(nationality=sample.nationality)
        else:
            alike = alike.filter(birth_date__year=sample.birth_year)
        reachable += min(1.0, RECALL_AT / max(1, alike.count()))
    return hits / len(samples), reachable / len(samples)


def measure_documents(samples: list[Sample]) -> Timing:
    persons = ForeignNational.objects.all()
    timing = Timing("document")
    for sample in samples[:WARM_UP]:
        search.search_persons(persons, sample.document_number, 10)
    for sample in samples:
        found = _measure(
            timing, partial(search.search_persons, persons, sample.document_number, 10)
        )
        assert found, f"document {sample.document_number} not found"
        assert found[0].pk == sample.pk, f"document {sample.document_number} not first"
    return timing


@dataclass
class Outcome:
    lines: list[str]
    missed: list[str]


def report(*, queries: int, seed: int) -> Outcome:
    rng = random.Random(seed)
    samples = sample_persons(queries, rng)
    names, recall = measure_names(samples, rng, edits=1)
    names_two, recall_two = measure_names(samples, rng, edits=2)
    documents = measure_documents(samples)
    lines, missed = [], []
    on_postgresql = connection.vendor == "postgresql"

    def verdict(value: float, target: float, *, lower_is_better: bool, applies: bool) -> str:
        if not applies:
            return "(no target on this database)"
        ok = value <= target if lower_is_better else value >= target
        return "ok" if ok else "MISSED"

    for title, timing, target in (
        (f"name search, misspelt by 1 letter ({queries} queries)", names, NAME_P95_TARGET_MS),
        (f"name search, misspelt by 2 letters ({queries} queries)", names_two, None),
        (f"document lookup, exact number ({queries} queries)", documents, DOCUMENT_P95_TARGET_MS),
    ):
        lines.append(title)
        lines.append(f"  {'':16} {'p50':>9} {'p95':>9}")
        for which, label in (("function", "search_persons"), ("raw", "same SQL, raw")):
            p50, p95 = timing.line(which)
            note = ""
            if which == "function" and target is not None:
                result = verdict(p95, target, lower_is_better=True, applies=on_postgresql)
                note = f"   target p95 ≤ {target:g} ms: {result}"
                if result == "MISSED":
                    missed.append(f"{title}: p95 {p95:.1f} ms > {target:g} ms")
            lines.append(f"  {label:16} {p50:7.1f}ms {p95:7.1f}ms{note}")
    result = verdict(recall, RECALL_TARGET, lower_is_better=False, applies=True)
    lines.append(
        f"recall@{RECALL_AT}, 1 letter wrong: {recall:.3f}   target ≥ {RECALL_TARGET}: {result}"
    )
    if result == "MISSED":
        missed.append(f"recall@{RECALL_AT} {recall:.3f} < {RECALL_TARGET}")
    lines.append(f"recall@{RECALL_AT}, 2 letters wrong: {recall_two:.3f}   (informational)")
    for given in ("nationality", "birth_year"):
        value, reachable = measure_persons(samples, rng, given)
        result = verdict(value, PERSON_RECALL_TARGET, lower_is_better=False, applies=True)
        lines.append(
            f"recall@{RECALL_AT} of the intended person, 1 letter wrong, {given} given: "
            f"{value:.3f}   target ≥ {PERSON_RECALL_TARGET}: {result}   (reachable on these "
            f"persons: {reachable:.3f}; names repeat within a nationality and a year)"
        )
        if result == "MISSED":
            missed.append(f"person recall@{RECALL_AT} with {given} {value:.3f}")
    return Outcome(lines, missed)


def describe_database() -> str:
    settings = connection.settings_dict
    return f"{connection.vendor} {settings['NAME']}"
