"""Person search by filters alone costs the same whatever the registry's size: the same number
of queries at two sizes, and on PostgreSQL a plan that reaches persons by an index (the
permit filters read the person's own `permit_valid_until`, not a join on every permit)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silahap.insights.bench import population
from silahap.registry.models import ForeignNational
from silahap.supervision.tests.test_board_scale import SCANNED, explain

pytestmark = pytest.mark.django_db

FILTERS = [
    {"permit_status": "expired"},
    {"permit_status": "expiring"},
    {"permit_status": "valid"},
    {"nationality": "CN"},
    {"nationality": "CN", "permit_status": "expired"},
]


def _get(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("registry:person_search"), params)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("params", FILTERS)
def test_filtered_search_costs_the_same_queries_at_five_times_the_registry(
    client, people, params, django_assert_max_num_queries
):
    population.ensure_persons(120, seed=3)
    client.force_login(people.analyst)
    client.get(reverse("registry:person_search"), params)
    small_response, small = _get(client, params)
    population.ensure_persons(600, seed=3)
    with django_assert_max_num_queries(14):
        response, large = _get(client, params)
    assert len(large) == len(small)
    found = response.context["page"].paginator.count
    assert found > small_response.context["page"].paginator.count
    expected = _expected(params)
    assert found == expected.count()
    names = [person.full_name for person in response.context["results"]]
    assert names == list(
        expected.order_by("full_name", "pk").values_list("full_name", flat=True)[:20]
    )


def _expected(params):
    """The same filter judged the long way: from the permits themselves."""
    import datetime

    from django.db.models import Max
    from django.utils import timezone

    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=30)
    persons = ForeignNational.objects.filter(merged_into__isnull=True).annotate(
        end=Max("permits__valid_until")
    )
    if "nationality" in params:
        persons = persons.filter(nationality=params["nationality"])
    status = params.get("permit_status")
    if status == "expired":
        persons = persons.filter(end__lt=today)
    elif status == "expiring":
        persons = persons.filter(end__gte=today, end__lte=horizon)
    elif status == "valid":
        persons = persons.filter(end__gt=horizon)
    return persons


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
@pytest.mark.parametrize("params", FILTERS)
def test_filtered_search_reaches_persons_by_an_index(client, people, params):
    population.ensure_persons(300, seed=3)
    client.force_login(people.analyst)
    client.get(reverse("registry:person_search"), params)
    _response, queries = _get(client, params)
    plans = explain(queries)
    assert any("registry_foreignnational" in plan for plan in plans)
    assert [plan for plan in plans if SCANNED.search(plan)] == []
    assert not any("Seq Scan on registry_staypermit" in plan for plan in plans)
