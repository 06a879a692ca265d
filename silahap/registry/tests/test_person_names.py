"""The registry lookup's table of distinct current names (models_names: PersonName, kept by
triggers on the persons) says exactly what a recount of the unmerged persons says, after every
kind of write to a person on SQLite and PostgreSQL; and the lookup reading it costs the same
queries at any size and, on PostgreSQL, never scans the persons: it ranks the names, then reads
a few persons of the best by an index."""

from __future__ import annotations

import json
import uuid
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silahap.insights.bench import population
from silahap.registry import name_triggers
from silahap.registry.models import ForeignNational, PersonName
from silahap.registry.normalize import normalize_name
from silahap.registry.services import person_create, person_merge, person_update
from silahap.registry.tests.import_helpers import PERSON_HEADER, confirm, csv_bytes, upload

pytestmark = pytest.mark.django_db


def recount() -> dict[str, int]:
    return dict(
        Counter(
            ForeignNational.objects.filter(merged_into__isnull=True).values_list(
                "normalized_name", flat=True
            )
        )
    )


def kept() -> dict[str, int]:
    return dict(PersonName.objects.values_list("normalized_name", "persons"))


def assert_kept_equals_recount() -> None:
    assert kept() == recount()


def foreigner(people, name: str, nationality: str = "AU") -> ForeignNational:
    return person_create(
        by=people.officer_a,
        full_name=name,
        nationality=nationality,
        document_number=f"P{uuid.uuid4().hex[:7].upper()}",
    ).person


def test_every_write_to_a_person_keeps_the_names_equal_to_a_recount(people):
    assert_kept_equals_recount()
    anna = foreigner(people, "Anna Lee")
    twin = foreigner(people, "Anna Lee")
    bruno = foreigner(people, "Bruno Diaz")
    assert kept()["anna lee"] == 2
    assert_kept_equals_recount()

    # Renamed: the old name loses a bearer, the new one gains him; a name nobody bears goes.
    person_update(by=people.officer_a, person=bruno, full_name="Bruno Díaz Ruiz")
    assert "bruno diaz" not in kept()
    assert_kept_equals_recount()
    # A change that touches no name moves nothing.
    person_update(by=people.officer_a, person=anna, occupation="teacher")
    assert_kept_equals_recount()

    # Merged: the merged record no longer counts.
    person_merge(by=people.leader_a, survivor=anna, merged=twin)
    assert kept()["anna lee"] == 1
    assert_kept_equals_recount()

    # Written and removed directly, past every service (a shell, an erasure).
    written = ForeignNational.objects.create(
        full_name="Gita Direct", normalized_name="direct gita", nationality="ID"
    )
    assert kept()["direct gita"] == 1
    merged = ForeignNational.objects.create(
        full_name="Anna Lee", normalized_name="anna lee", nationality="AU", merged_into=anna
    )
    assert_kept_equals_recount()
    written.delete()
    merged.delete()
    assert "direct gita" not in kept()
    assert_kept_equals_recount()
    # Unmerged by hand: counted again.
    ForeignNational.objects.filter(pk=twin.pk).update(merged_into=None)
    assert kept()["anna lee"] == 2
    assert_kept_equals_recount()


def test_one_statement_over_many_persons_moves_each_name_once(people):
    ForeignNational.objects.bulk_create(
        [
            ForeignNational(full_name=name, normalized_name=normalize_name(name), nationality="CN")
            for name in ["Zhang Wei"] * 5 + ["Li Na"] * 3 + ["Wang Fang"]
        ]
    )
    assert kept() == {"wei zhang": 5, "li na": 3, "fang wang": 1}
    assert_kept_equals_recount()
    lis = ForeignNational.objects.filter(normalized_name="li na")
    # Two of three renamed in one UPDATE, then one that changes no name.
    assert lis.filter(pk__in=lis.values("pk")[:2]).update(normalized_name="li nana") == 2
    assert kept()["li nana"] == 2
    assert_kept_equals_recount()
    assert ForeignNational.objects.update(occupation="x") == 9
    assert_kept_equals_recount()
    # A name swapped for another and back in one statement nets to nothing.
    survivor = ForeignNational.objects.filter(normalized_name="wei zhang").order_by("pk").first()
    others = ForeignNational.objects.filter(normalized_name="wei zhang").exclude(pk=survivor.pk)
    assert others.update(merged_into=survivor) == 4
    assert kept()["wei zhang"] == 1
    assert_kept_equals_recount()
    assert ForeignNational.objects.filter(normalized_name__startswith="li").delete()[0] == 3
    assert_kept_equals_recount()
    assert set(kept()) == {"wei zhang", "fang wang"}


def test_imported_persons_are_counted(people):
    rows = [
        ["Anna Maria Eriksson", "SE", "L898902C3", "", "F", "12/08/1974", "", "", ""],
        ["Anna Maria Eriksson", "SE", "L898902C4", "", "F", "13/08/1974", "", "", ""],
        ["Bruno Müller", "DEU", "C01X00T47", "D", "M", "1980-02-29", "", "", ""],
    ]
    job = upload(people.office_admin, people.office_a, "persons", csv_bytes(PERSON_HEADER, rows))
    job = confirm(people.office_admin, job)
    assert job.created_count == 3
    assert kept()["anna eriksson maria"] == 2
    assert_kept_equals_recount()


def test_a_rebuild_recounts_what_the_triggers_kept(people):
    population.ensure_persons(150, seed=7)
    foreigner(people, "Anna Lee")
    by_triggers = kept()
    assert (
        sum(by_triggers.values())
        == ForeignNational.objects.filter(merged_into__isnull=True).count()
    )
    PersonName.objects.all().delete()
    name_triggers.rebuild_names(connection)
    assert kept() == by_triggers == recount()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds a table to alter it")
def test_triggers_a_table_rebuild_dropped_are_put_back_and_the_names_recounted(people):
    anna = foreigner(people, "Anna Lee")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER registry_person_names_change")
    person_update(by=people.officer_a, person=anna, full_name="Anna Leigh")
    assert kept() != recount()

    assert name_triggers.repair(connection)

    assert not name_triggers.repair(connection)
    assert_kept_equals_recount()
    person_update(by=people.officer_a, person=anna, full_name="Anna Lea")
    assert_kept_equals_recount()


# The lookup reading the names.

# Slips of a generated name: a letter dropped, two swapped, one changed; and a name typed whole.
SLIPS = [
    lambda name: name[:2] + name[3:],
    lambda name: name[:1] + name[2] + name[1] + name[3:],
    lambda name: name[:-2] + ("x" if name[-2] != "x" else "y") + name[-1],
]


def _lookup(client, query: str, **narrowed) -> tuple[list, list[str]]:
    params = {"q": query, "limit": 5, **narrowed}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("registry:person_lookup"), params)
    assert response.status_code == 200
    own = [
        q["sql"]
        for q in captured.captured_queries
        if not any(
            table in q["sql"]
            for table in ("django_session", "accounts_user", "accounts_membership", "audit_")
        )
        and not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    return response.json(), own


def _generated_name() -> str:
    return population.bench_persons().order_by("pk")[0].full_name


@pytest.mark.parametrize("slip", SLIPS)
def test_the_lookup_costs_the_same_queries_at_five_times_the_registry(client, people, slip):
    population.ensure_persons(120, seed=3)
    query = slip(_generated_name())
    client.force_login(people.officer_a)
    _lookup(client, query)
    small_rows, small = _lookup(client, query)
    population.ensure_persons(600, seed=3)
    rows, large = _lookup(client, query)
    assert rows
    assert small_rows
    assert len(large) == len(small) <= 5, large


def _plans(queries: list[str]) -> list[dict]:
    """The plans (EXPLAIN's JSON) of the SELECTs among `queries`, as run (parameters in), with
    sequential and bitmap scans priced out: small test tables make reading all of a name's
    persons at once cheapest, which at scale is what must not happen."""
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        for sql in queries:
            if sql.lstrip().upper().startswith(("SELECT", "(SELECT")):
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plans.append((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"])
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_bitmapscan = on")
    return plans


def _nodes(node: dict, limited: bool = False):
    """Every node of a plan, with whether a Limit stops reading it: a Limit above it with no
    node between that reads all its input first (a sort, a window, a hash, a count)."""
    yield node, limited
    whole = node["Node Type"] in ("Sort", "Incremental Sort", "WindowAgg", "Hash", "Aggregate")
    for child in node.get("Plans", []):
        yield from _nodes(child, node["Node Type"] == "Limit" or (limited and not whole))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
@pytest.mark.parametrize("slip", [*SLIPS, lambda name: name, lambda name: "Xqzv Wxyz"])
@pytest.mark.parametrize("narrowed_by", ["", "nationality", "birth_year"])
def test_the_lookup_ranks_names_and_reads_persons_only_by_index(client, people, slip, narrowed_by):
    population.ensure_persons(300, seed=3)
    person = population.bench_persons().order_by("pk")[0]
    query = slip(person.full_name)
    narrowed = {
        "": {},
        "nationality": {"nationality": person.nationality.code},
        "birth_year": {"birth_year": person.birth_date.year},
    }[narrowed_by]
    client.force_login(people.officer_a)
    _lookup(client, query, **narrowed)
    rows, queries = _lookup(client, query, **narrowed)
    nodes = [pair for plan in _plans(queries) for pair in _nodes(plan)]
    assert any(node.get("Relation Name") == "registry_personname" for node, _ in nodes)
    on_persons = [
        (node, limited)
        for node, limited in nodes
        if node.get("Relation Name") == "registry_foreignnational"
    ]
    # Only a found person is read; a narrowed lookup also counts its names' persons within it.
    assert bool(on_persons) == bool(rows) or (narrowed and not rows)
    for node, limited in on_persons:
        # By pk (the shown persons' details), or a few of a name: a range of its index, cut.
        assert node["Node Type"] in ("Index Scan", "Index Only Scan"), node
        if node["Index Name"] != "registry_foreignnational_pkey":
            assert node["Index Name"] in ("person_by_normalized_name", "person_by_name_scope")
            assert limited, node
