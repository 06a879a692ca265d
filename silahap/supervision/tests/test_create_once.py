"""One record per intent: sending a create page twice (a double tap, a retry, the outbox's resend)
makes one row and lands on it; another person's key is theirs alone."""

import uuid

import pytest

from silahap.audit.models import AuditEvent
from silahap.registry.models import Place, Regency
from silahap.registry.services import place_create
from silahap.supervision.tests.creates import CREATE_PAGES
from silahap.testing.idempotency import page_key

pytestmark = pytest.mark.django_db


def send(client, page, key):
    return client.post(page.url, {**page.data(), "client_id": key})


@pytest.mark.parametrize("name", CREATE_PAGES)
def test_the_second_send_of_a_page_creates_nothing_and_lands_on_the_first(client, people, name):
    page = CREATE_PAGES[name](people)
    client.force_login(page.user)
    key = page_key(client.get(page.form_url))
    events = AuditEvent.objects.count()
    first = send(client, page, key)
    created_events = AuditEvent.objects.count() - events
    second = send(client, page, key)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert page.rows.count() == 1
    assert str(page.rows.get().client_id) == key
    # The repeat wrote nothing, not even an audit event.
    assert AuditEvent.objects.count() - events == created_events


@pytest.mark.parametrize("name", CREATE_PAGES)
def test_a_fresh_page_is_a_new_intent(client, people, name):
    page = CREATE_PAGES[name](people)
    client.force_login(page.user)
    assert send(client, page, page_key(client.get(page.form_url))).status_code == 302
    again = send(client, page, page_key(client.get(page.form_url)))
    # A warrant's number is unique in its unit, so its second intent is refused instead.
    expected = 1 if name == "warrant" else 2
    assert page.rows.count() == expected
    assert again.status_code == (422 if name == "warrant" else 302)


@pytest.mark.parametrize("name", CREATE_PAGES)
def test_a_send_without_a_key_is_refused_and_the_page_gets_one(client, people, name):
    page = CREATE_PAGES[name](people)
    client.force_login(page.user)
    response = client.post(page.url, page.data())
    assert response.status_code == 422
    assert "out of date" in response.content.decode() or "kedaluwarsa" in response.content.decode()
    assert page_key(response)
    assert not page.rows.exists()


@pytest.mark.parametrize("name", CREATE_PAGES)
def test_the_page_keeps_its_key_when_it_comes_back_with_an_error(client, people, name):
    page = CREATE_PAGES[name](people)
    client.force_login(page.user)
    key = page_key(client.get(page.form_url))
    data = {**page.data(), "client_id": key}
    required = ("name", "kind", "number", "instructions", "office", "user")
    broken = {field: value for field, value in data.items() if field not in required}
    response = client.post(page.url, broken)
    assert response.status_code == 422
    assert page_key(response) == key
    assert not page.rows.exists()


def test_another_persons_key_never_returns_their_row(people):
    key = uuid.uuid4()
    values = {
        "name": "Hotel Kenanga",
        "kind": "hotel",
        "regency": Regency.objects.get(code="36.71"),
    }
    mine = place_create(by=people.officer_a, client_id=key, **values)
    theirs = place_create(by=people.officer_b, client_id=key, **values)
    assert mine != theirs
    assert theirs.created_by == people.officer_b
    assert place_create(by=people.officer_b, client_id=key, **values) == theirs
    assert Place.objects.filter(client_id=key).count() == 2
