"""Person search by filters alone costs the same whatever the registry's size: the same number
of queries at two sizes, and on PostgreSQL a plan that reaches persons by an index (the
permit filters read the person's own `permit_valid_until`, not a join on every permit)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from silahap.insights.bench import population
from silahap.registry.models import ForeignNational
from silahap.registry.search import lookup_terms
from silahap.registry.services import person_create
from silahap.registry.views import persons as view
from silahap.supervision.tests.helpers import SCANNED, explain

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


# The check form's lookup: a nationality or birth year tells apart persons of one name.


def _twins(people):

    made = {}
    for key, nationality, born in (
        ("cn_1985", "CN", datetime.date(1985, 3, 1)),
        ("cn_1990", "CN", datetime.date(1990, 7, 9)),
        ("sg_1985", "SG", datetime.date(1985, 11, 30)),
    ):
        made[key] = person_create(
            by=people.officer_a,
            full_name="Chen Ming",
            nationality=nationality,
            birth_date=born,
            document_number=f"E{len(made)}7654321",
        ).person
    return made


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Chen Ming, CN, 1990"}, "cn_1990"),
        ({"q": "chen ming 1985, sg"}, "sg_1985"),
        ({"q": "Chen Minng SG"}, "sg_1985"),
        ({"q": "Chen Mign", "nationality": "CN", "birth_year": "1985"}, "cn_1985"),
        ({"q": "Chne Ming 1990"}, "cn_1990"),
    ],
)
def test_the_lookup_takes_nationality_and_birth_year_from_the_box_or_the_form(
    client, people, params, expected
):
    twins = _twins(people)
    client.force_login(people.officer_a)
    response = client.get(reverse("registry:person_lookup"), params)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [twins[expected].pk]


def test_a_name_alone_finds_every_person_of_it(client, people):
    twins = _twins(people)
    client.force_login(people.officer_a)
    found = client.get(reverse("registry:person_lookup"), {"q": "Chen Ming"}).json()
    assert {row["id"] for row in found} == {person.pk for person in twins.values()}


def test_li_na_stays_a_name_and_a_document_number_stays_whole():

    assert lookup_terms("Li Na").name == "Li Na"
    assert lookup_terms("Zhang Li NA").nationality == "NA"
    assert lookup_terms("ZHANG LI NA").nationality == ""
    assert lookup_terms("E1234567").name == "E1234567"
    assert lookup_terms("Zhang Wei, cn 1985") == lookup_terms("Zhang Wei CN 1985")


@pytest.mark.parametrize("query", ["Chen Ming", "Chne Mign", "chen ming, CN"])
def test_the_lookup_costs_few_queries_besides_session_auth_and_audit(client, people, query):
    _twins(people)
    population.ensure_persons(200, seed=5)
    client.force_login(people.officer_a)
    client.get(reverse("registry:person_lookup"), {"q": query})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("registry:person_lookup"), {"q": query, "limit": 5})
    assert response.status_code == 200
    assert response.json()
    own = [
        q["sql"]
        for q in captured.captured_queries
        if not any(
            table in q["sql"]
            for table in ("django_session", "accounts_user", "accounts_membership", "audit_")
        )
        and not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(own) <= 5, own


def test_a_filter_matching_more_than_the_count_limit_says_more_than(
    client, people, monkeypatch, django_assert_max_num_queries
):

    monkeypatch.setattr(view, "COUNT_LIMIT", 50)
    population.ensure_persons(120, seed=4)
    client.force_login(people.analyst)
    response = client.get(reverse("registry:person_search"), {"permit_status": "valid"})
    assert ForeignNational.objects.filter(permit_valid_until__isnull=False).count() > 51
    assert response.context["page"].paginator.count == 51
    assert response.context["more_than_limit"] is True
    assert "Lebih dari 50 orang ditemukan" in response.content.decode()
    assert len(response.context["results"]) == 20
    third = client.get(reverse("registry:person_search"), {"permit_status": "valid", "page": 3})
    assert len(third.context["results"]) == 11
