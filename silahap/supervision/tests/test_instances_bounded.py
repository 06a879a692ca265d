"""Memory: a page loads its page of rows into Python, not the history behind it. The model
instances a request creates (counted by the post_init signal) are the same at two data sizes,
both larger than a page."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models.signals import post_init
from django.urls import reverse

from silahap.insights.bench import population
from silahap.supervision.tests.helpers import _history, _today

pytestmark = pytest.mark.django_db


class Instances:
    """Counts the model instances created while active, per model."""

    def __init__(self):
        self.made: Counter[str] = Counter()

    def __call__(self, sender, **kwargs):
        self.made[sender._meta.label] += 1

    def __enter__(self):
        post_init.connect(self, weak=False)
        return self

    def __exit__(self, *exc):
        post_init.disconnect(self)


def _instances(client, url, params=None):
    client.get(url, params)  # what a first request caches
    with Instances() as counted:
        response = client.get(url, params)
    assert response.status_code == 200
    return counted.made


@pytest.mark.parametrize(
    ("name", "user", "params"),
    [
        ("supervision:board", "leader_a", None),
        ("reports:review_queue", "leader_a", None),
        ("home", "leader_a", None),
    ],
)
def test_leaders_pages_load_a_page_of_rows_whatever_the_history(client, people, name, user, params):
    _today(people)
    # Of every six history reports one waits for review: 1,260 make 210, more than the queue's
    # page of 200; 2,520 make 420.
    _history(people, 1260)
    client.force_login(getattr(people, user))
    small = _instances(client, reverse(name), params)
    _history(people, 1260)
    large = _instances(client, reverse(name), params)
    assert large == small
    assert sum(large.values()) <= 800


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("registry:person_search", {"permit_status": "valid"}),
        ("registry:person_search", {"q": "wang"}),
        ("registry:person_lookup", {"q": "wang", "limit": 5}),
    ],
)
def test_registry_search_loads_a_page_of_persons_whatever_the_registry(
    client, people, name, params
):
    # 900 persons already fill a page of "wang" (with the names one slip away); 2,700 more so.
    population.ensure_persons(900, seed=9)
    client.force_login(people.analyst)
    small = _instances(client, reverse(name), params)
    population.ensure_persons(2700, seed=9)
    large = _instances(client, reverse(name), params)
    persons = large["registry.ForeignNational"]
    assert persons <= 20 + 5
    assert sum(large.values()) <= sum(small.values()) + 10
