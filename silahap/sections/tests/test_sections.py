"""A higher layer adds a section to a lower layer's page without that page importing it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from silahap.sections import registry


@pytest.fixture
def added():
    seen = []

    def context(request):
        seen.append(request.user.username)
        return {"greeting": "<b>Hello</b>"}

    registry.add(
        "reports.today",
        name="test.greeting",
        template="sections/tests/greeting.html",
        context=context,
        order=1,
    )
    yield seen
    registry.remove("reports.today", name="test.greeting")


@pytest.mark.django_db
def test_a_registered_section_shows_on_the_page_escaped(client, people, added):
    client.force_login(people.officer_a)
    response = client.get(reverse("reports:today"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="test-greeting"' in content
    assert "&lt;b&gt;Hello&lt;/b&gt;" in content
    assert "<b>Hello</b>" not in content
    assert added == ["officer_a"]


@pytest.mark.django_db
def test_a_section_that_returns_none_is_left_out(client, people):
    registry.add("reports.today", name="test.none", template="x.html", context=lambda r: None)
    try:
        client.force_login(people.officer_a)
        assert client.get(reverse("reports:today")).status_code == 200
    finally:
        registry.remove("reports.today", name="test.none")


def test_supervision_adds_the_officers_tasks_to_the_today_page():
    names = [section.name for section in registry.for_slot("reports.today")]
    assert "supervision.officer_tasks" in names


def test_two_sections_cannot_share_a_name():
    registry.add("test.slot", name="a", template="a.html", context=dict)
    try:
        with pytest.raises(ImproperlyConfigured):
            registry.add("test.slot", name="a", template="b.html", context=dict)
    finally:
        registry.remove("test.slot", name="a")
