"""A higher layer adds a section to a lower layer's page without that page importing it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
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


@pytest.fixture
def record_slot():
    calls = []

    def context(request, *, person):
        calls.append(person)
        return {"greeting": f"seen {person}", registry.SUMMARY: {"persons": 1}}

    registry.add(
        "test.record", name="test.a", template="sections/tests/greeting.html", context=context
    )
    registry.add(
        "test.record",
        name="test.b",
        template="sections/tests/greeting.html",
        context=lambda request, *, person: {registry.SUMMARY: {"page": 2}, "greeting": "b"},
    )
    registry.add(
        "test.record", name="test.c", template="x.html", context=lambda request, **page: None
    )
    yield calls
    for name in ("test.a", "test.b", "test.c"):
        registry.remove("test.record", name=name)


def test_a_page_hands_its_record_to_every_section_of_its_slot(rf, record_slot):
    page = Template('{% load sections %}{% sections "test.record" person=who %}')
    html = page.render(Context({"request": rf.get("/"), "who": "<Ana>"}))
    assert html.count('data-testid="test-greeting"') == 2
    assert "seen &lt;Ana&gt;" in html
    assert record_slot == ["<Ana>"]


def test_a_prepared_slot_runs_each_context_once_and_sums_the_audit_summaries(rf, record_slot):
    request = rf.get("/")
    prepared = registry.prepare("test.record", request, person="Budi")
    assert [part.section.name for part in prepared] == ["test.a", "test.b"]
    assert registry.summary(prepared) == {"persons": 1, "page": 2}
    html = Template("{% load sections %}{% sections prepared %}").render(
        Context({"request": request, "prepared": prepared})
    )
    assert "seen Budi" in html
    assert record_slot == ["Budi"]


def test_reports_adds_the_timeline_and_the_place_history_to_the_registry_pages():
    assert [s.name for s in registry.for_slot("registry.person_detail")] == [
        "reports.person_timeline"
    ]
    assert [s.name for s in registry.for_slot("registry.place_detail")] == ["reports.place_history"]
