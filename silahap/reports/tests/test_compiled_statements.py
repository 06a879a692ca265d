"""Statements compiled once per connection (silahap/statements.py): the officer's report read
(and locked) on every activity submitted, run again with other officers and days, gives what
the ORM gives, on SQLite (dates as text) and PostgreSQL, without compiling again."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from silahap.accounts.models import Membership, OrgUnit, User
from silahap.reports import services
from silahap.reports.models import DailyReport
from silahap.reports.services import daily
from silahap.statements import MARKERS, Statement
from silahap.testing.compiles import compiled_models

pytestmark = pytest.mark.django_db


def test_the_report_of_a_day_is_found_for_each_officer_and_day(people):
    today = services.report_open(officer=people.officer_a)
    other_day = today.report_date - datetime.timedelta(days=3)
    earlier = services.report_open(officer=people.officer_a, day=other_day)
    theirs = services.report_open(officer=people.officer_b)
    unit = daily.reporting_unit(people.officer_a)
    for officer, day, expected in [
        (people.officer_a, today.report_date, today),
        (people.officer_a, other_day, earlier),
        # Officer B's own today: in the last hours of a WIB day his office's zone has one more.
        (people.officer_b, theirs.report_date, theirs),
        (people.officer_b, other_day, None),
    ]:
        found = daily._REPORT.first(DailyReport, "default", officer.pk, day)
        assert found == expected
        if found is not None:
            # The whole row, as the ORM makes it, dates converted back from SQLite's text.
            orm = DailyReport.objects.get(pk=found.pk)
            assert isinstance(found.report_date, datetime.date)
            assert [getattr(found, f.attname) for f in DailyReport._meta.concrete_fields] == [
                getattr(orm, f.attname) for f in DailyReport._meta.concrete_fields
            ]
            assert not found._state.adding
    with transaction.atomic():
        report, created = daily._report_for_day(
            officer=people.officer_a, unit=unit, day=other_day, lock=True
        )
    assert (report, created) == (earlier, False)


def test_the_statement_is_compiled_once_and_the_lock_is_asked(people, monkeypatch):
    services.report_open(officer=people.officer_a)
    unit = daily.reporting_unit(people.officer_a)
    day = unit.local_today()
    compiles = compiled_models(monkeypatch)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            daily._report_for_day(officer=people.officer_a, unit=unit, day=day, lock=True)
    assert compiles.count(DailyReport) <= 1  # at most its first use on this connection
    assert len(queries.captured_queries) == 3
    if connection.vendor == "postgresql":
        assert all("FOR UPDATE" in query["sql"] for query in queries.captured_queries)


def test_two_values_of_one_kind_are_told_apart(people):
    mine = services.report_open(officer=people.officer_a)
    services.report_open(officer=people.officer_b)
    fields = DailyReport._meta
    between = Statement(
        lambda officer, other: DailyReport.objects.filter(officer_id=officer).exclude(
            officer_id=other
        ),
        fields.get_field("officer"),
        fields.get_field("officer"),
    )
    assert between.first(DailyReport, "default", people.officer_a.pk, people.officer_b.pk) == mine
    assert between.first(DailyReport, "default", people.officer_a.pk, people.officer_a.pk) is None


def test_a_statement_whose_values_are_not_only_parameters_is_refused(people):
    """A constant that equals a marker, a value the SQL holds otherwise than as the marker
    (SQLite's iexact escapes it into a LIKE pattern), or one model selected twice asked for by
    model: each fails on the statement's first use, never gives wrong rows."""
    fields = DailyReport._meta
    officer = fields.get_field("officer")
    with_constant = Statement(
        lambda value: DailyReport.objects.filter(officer_id=value).exclude(
            officer_id=MARKERS[int](0)
        ),
        officer,
    )
    with pytest.raises(RuntimeError, match="not only a parameter"):
        with_constant.rows("default", people.officer_a.pk)
    escaped = Statement(
        lambda name: User.objects.filter(username__iexact=name), User._meta.get_field("username")
    )
    if connection.vendor == "sqlite":
        with pytest.raises(RuntimeError, match="does not appear"):
            escaped.rows("default", "a_b")
    else:  # UPPER(username) = UPPER(%s): the value is the parameter as given
        assert escaped.rows("default", people.officer_a.username.upper())
    unit_and_office = Statement(
        lambda user: Membership.objects.filter(user_id=user).select_related("unit", "unit__office"),
        Membership._meta.get_field("user"),
    )
    compiled = unit_and_office.compiled("default")
    row = compiled.rows([people.officer_a.pk])[0]
    with pytest.raises(TypeError, match="selected twice"):
        compiled.made(OrgUnit, row)
    (membership,) = unit_and_office.objects("default", people.officer_a.pk)
    assert membership.unit == people.team_a
    assert membership.unit.office == people.office_a
    annotated = Statement(
        lambda user: Membership.objects.filter(user_id=user).annotate(n=Count("pk")),
        Membership._meta.get_field("user"),
    )
    with pytest.raises(TypeError, match="plain models"):
        annotated.objects("default", people.officer_a.pk)
