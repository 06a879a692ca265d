"""The registry's lists (person search by filter, permit warnings, places, sponsors) cost the
same queries at two sizes of the registry, count no further than their bound, and leave their
audit event to the next sealer: a page's queries never depend on how much data there is, nor on
how long ago the process last sealed the audit chain."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from silahap.audit import services as audit
from silahap.audit.models import AuditEvent
from silahap.insights.bench import population
from silahap.registry import warnings
from silahap.registry.models import ForeignNational, Place, Regency, Sponsor
from silahap.registry.normalize import normalize_name
from silahap.registry.views import paging
from silahap.registry.views import persons as person_views
from silahap.supervision.tests.helpers import explain

pytestmark = pytest.mark.django_db

BOUND = 30


@pytest.fixture
def small_bound(monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", BOUND)
    monkeypatch.setattr(person_views, "COUNT_LIMIT", BOUND)


def _get(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


def _places(count: int, start: int = 0) -> None:
    regency = Regency.objects.get(code="36.71")
    Place.objects.bulk_create(
        Place(
            name=f"Hotel {n:05}",
            normalized_name=normalize_name(f"Hotel {n:05}"),
            kind="hotel",
            regency=regency,
        )
        for n in range(start, start + count)
    )


def _sponsors(count: int, start: int = 0) -> None:
    Sponsor.objects.bulk_create(
        Sponsor(kind="corporation", name=f"PT Nomor {n:05}", identity_number=f"9{n:012}")
        for n in range(start, start + count)
    )


def _warned(count: int) -> None:
    """Bench persons, all living in Tangerang (office A's work area by address)."""
    population.ensure_persons(count, seed=7)
    population.bench_persons().update(regency_id="36.71")


@pytest.mark.parametrize(
    ("url", "grow", "card"),
    [
        ("registry:place_list", _places, "place-result"),
        ("registry:sponsor_list", _sponsors, "sponsor-result"),
    ],
)
def test_places_and_sponsors_cost_the_same_queries_at_five_times_the_rows_and_count_to_a_bound(
    client, people, small_bound, url, grow, card
):
    client.force_login(people.officer_b)
    grow(BOUND // 2)
    small_response, small = _get(client, reverse(url))
    grow(BOUND * 5, start=BOUND)
    response, large = _get(client, reverse(url))
    assert len(large) == len(small)
    assert small_response.context["page"].paginator.count == BOUND // 2
    assert response.context["page"].paginator.count == BOUND + 1
    content = response.content.decode()
    assert content.count(f'data-testid="{card}"') == 20
    noun = "tempat" if card == "place-result" else "penjamin"
    assert f"Lebih dari {BOUND} {noun}: persempit pencarian" in content
    # The bound's count reads neither the order nor the page's annotations.
    [counting] = [sql for sql in large if "COUNT(*)" in sql and "LIMIT" in sql]
    assert "ORDER BY" not in counting
    assert "guaranteed" not in counting


def test_a_filtered_search_past_its_bound_costs_the_same_queries_at_five_times_the_registry(
    client, people, small_bound
):
    client.force_login(people.analyst)
    params = {"permit_status": "valid"}
    population.ensure_persons(BOUND * 3, seed=3)
    client.get(reverse("registry:person_search"), params)
    _small_response, small = _get(client, reverse("registry:person_search"), params)
    population.ensure_persons(BOUND * 15, seed=3)
    response, large = _get(client, reverse("registry:person_search"), params)
    assert len(large) == len(small)
    assert response.context["more_than_limit"] is True
    # Counting 1,001 persons kept the name order: PostgreSQL walked the name index to count.
    [counting] = [sql for sql in large if "COUNT(*)" in sql and "registry_foreignnational" in sql]
    assert "ORDER BY" not in counting


def test_the_warnings_page_costs_the_same_queries_at_five_times_the_warned(client, people):
    client.force_login(people.leader_a)
    _warned(60)
    small_response, small = _get(client, reverse("registry:permit_warnings"))
    _warned(300)
    response, large = _get(client, reverse("registry:permit_warnings"))
    assert len(large) == len(small)
    assert response.context["page"].paginator.count > small_response.context["page"].paginator.count
    content = response.content.decode()
    assert content.count('data-testid="warning-person"') == 25
    # Each person on the page names the office the counts attribute them to.
    assert content.count(f"· {people.office_a.name}</span>") == 25


@pytest.mark.parametrize(
    ("url", "params", "action"),
    [
        ("registry:person_search", {"permit_status": "valid"}, "person.search"),
        ("registry:person_lookup", {"q": "Wang Wei"}, "person.lookup"),
        ("registry:permit_warnings", {}, "permit_warnings.view"),
    ],
)
def test_a_list_read_leaves_its_audit_event_to_the_next_sealer(
    client, people, django_capture_on_commit_callbacks, url, params, action
):
    _warned(40)
    client.force_login(people.leader_a)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(reverse(url), params)
    assert response.status_code == 200
    assert audit.seal_soon not in callbacks
    event = AuditEvent.objects.filter(action=action).latest("sequence")
    assert event.position is None
    audit.seal()
    event.refresh_from_db()
    assert event.position is not None


INDEXED = re.compile(r"Index (Only )?Scan using (place_by_name|sponsor_by_name)")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
@pytest.mark.parametrize("url", ["registry:place_list", "registry:sponsor_list"])
def test_a_list_page_is_the_first_rows_of_its_name_index(client, people, url):
    _places(50)
    _sponsors(50)
    client.force_login(people.officer_b)
    _response, queries = _get(client, reverse(url))
    table = "registry_place" if url == "registry:place_list" else "registry_sponsor"
    page = [sql for sql in queries if f'FROM "{table}"' in sql and "ORDER BY" in sql]
    [plan] = explain(page)
    assert INDEXED.search(plan), plan
    assert "Sort" not in plan.split("SubPlan")[0], plan
    assert f"Seq Scan on {table}" not in plan


def test_the_page_attributes_its_rows_as_the_sql_does(people):
    _warned(80)
    checked = population.bench_persons().order_by("pk")[:10]
    ForeignNational.objects.filter(pk__in=list(checked.values_list("pk", flat=True))).update(
        last_check_office=people.office_b
    )
    offices = [people.office_a, people.office_b]
    regencies = warnings.area_offices([office.pk for office in offices])
    on = timezone.localdate()
    in_sql = {p.pk: p.warning_office_id for p in warnings.warned_persons(offices, on)}
    by_address = warnings.address_offices(regencies)
    in_python = {
        p.pk: warnings.office_of(p, by_address) for p in warnings.warned_unattributed(regencies, on)
    }
    assert in_python == in_sql
    assert set(in_sql.values()) == {people.office_a.pk, people.office_b.pk}
