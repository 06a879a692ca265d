"""The two reads every signed-in request makes besides the user, compiled once per connection
(silahap/statements.py): the session by its key, and the user's memberships in force on a day
with their units and offices. They give what the ORM gives, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from silahap.accounts import access
from silahap.accounts.models import Membership
from silahap.accounts.sessions import SessionStore
from silahap.testing.compiles import compiled_models

pytestmark = pytest.mark.django_db


def _orm(user, on):
    return list(
        Membership.objects.current(on).filter(user=user).select_related("unit", "unit__office")
    )


def _seen(memberships):
    return [
        (
            m.pk,
            m.role,
            m.start_date,
            m.end_date,
            m.unit.pk,
            m.unit.path,
            m.unit.office_id,
            m.unit.office.name if m.unit.office else None,
        )
        for m in memberships
    ]


def test_memberships_in_force_on_each_day_are_the_orms(people):
    today = timezone.localdate()
    officer = people.officer_a
    # An ended membership elsewhere, one that starts next week, one that ends today: each day
    # is both "started by" and "not ended before", two places of one value in the statement.
    Membership.objects.create(
        user=officer,
        unit=people.section_b,
        role=Membership.Role.OFFICER,
        start_date=today - datetime.timedelta(days=100),
        end_date=today - datetime.timedelta(days=10),
    )
    Membership.objects.create(
        user=officer,
        unit=people.office_b,
        role=Membership.Role.ANALYST,
        start_date=today + datetime.timedelta(days=7),
    )
    Membership.objects.create(
        user=officer,
        unit=people.section_a,
        role=Membership.Role.ANALYST,
        start_date=today - datetime.timedelta(days=3),
        end_date=today,
    )
    days = [today, today - datetime.timedelta(days=50), today + datetime.timedelta(days=1)]
    days.append(today + datetime.timedelta(days=8))
    for user in (officer, people.analyst_national, people.partner):
        for day in days:
            user.__dict__.pop("_silahap_memberships", None)
            found = access.current_memberships(user, day)
            assert _seen(found) == _seen(_orm(user, day)), (user, day)
            # The unit and its office come with the row: no query when a caller reads them.
            with CaptureQueriesContext(connection) as queries:
                [m.unit.office for m in found]
            assert not queries.captured_queries
            # Filled from the row even where the unit has no office (a None kept, not unread).
            assert all("office" in m.unit._state.fields_cache for m in found)
    officer.__dict__.pop("_silahap_memberships", None)
    roles = {m.role: m.unit for m in access.current_memberships(officer, today)}
    assert roles == {
        Membership.Role.OFFICER: people.team_a,
        Membership.Role.ANALYST: people.section_a,
    }
    officer.__dict__.pop("_silahap_memberships", None)
    later = {m.unit for m in access.current_memberships(officer, days[-1])}
    assert later == {people.team_a, people.office_b}


def test_memberships_are_compiled_once_per_connection(people, monkeypatch):
    access.current_memberships(people.leader_a)  # compiled here, if this connection had not yet
    compiles = compiled_models(monkeypatch)
    for user in (people.officer_a, people.leader_b, people.analyst):
        user.__dict__.pop("_silahap_memberships", None)
        with CaptureQueriesContext(connection) as queries:
            assert access.current_memberships(user)
        assert len(queries.captured_queries) == 1
    assert Membership not in compiles


def test_a_session_is_read_by_its_key_until_it_expires(people):
    store = SessionStore()
    store["who"] = people.officer_a.pk
    store.set_expiry(600)
    store.create()
    key = store.session_key
    other = SessionStore()
    other["who"] = people.officer_b.pk
    other.create()

    loaded = SessionStore(key).load()
    assert loaded == DjangoStore(key).load()
    assert loaded["who"] == people.officer_a.pk
    assert SessionStore(other.session_key).load()["who"] == people.officer_b.pk

    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None  # as Django's: a new key at the next save

    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore(other.session_key).load()["who"] == people.officer_b.pk


def test_the_site_uses_the_compiled_session_read(client, people, monkeypatch):
    client.force_login(people.leader_a)
    assert client.get("/").status_code == 200
    compiles = compiled_models(monkeypatch)
    assert client.get("/").status_code == 200
    assert Session not in compiles
    assert Membership not in compiles
