"""Submitting one activity through the officer's form is lean (#21): no lookup before the
insert, the report found and locked in one query, no per-constraint probes (full_clean's
SAVEPOINT/SELECT/RELEASE triples); a constraint the form let through is said by the database and
shown beside its field."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from silahap.reports import services
from silahap.reports.forms import DateInputField
from silahap.reports.models import Activity
from silahap.reports.services import activities
from silahap.reports.tests import factories

pytestmark = pytest.mark.django_db

# 1 session, 2 user, 3 memberships, 4 the place through visible_to, 5 the report under its lock,
# 6 the INSERT, 7 the audit event (one INSERT: it is sealed into the chain after commit, without
# a lock), 8 the spine event; 9-10 the idempotent decorator's savepoint pair, because a test runs
# inside a transaction (outside one it is the outermost block: BEGIN/COMMIT, not counted): 8 in
# production. The warrant and operations pickers (form extensions) ask nothing for a post that
# carries none of their fields: its page showed no picker. The form's extensions run inside the
# service's transaction (its `then`), so the view opens no transaction of its own. Was 42 here
# and 33 on PostgreSQL (#21), then 18 while the audit event locked the chain head, then 12.
SUBMIT_QUERIES = 10


def form_data(place, **extra) -> dict:
    now = timezone.localtime()
    return {
        "client_id": str(uuid.uuid4()),
        "kind": "field",
        "source": "independent",
        "classification": "open",
        "warrant_number": "SP-1/2026",
        "warrant_date": now.date().isoformat(),
        "started_at": now.strftime("%Y-%m-%dT%H:%M"),
        "place": place.pk,
        "place_mode": "existing",
        "latitude": "-6.2",
        "longitude": "106.6",
        "location_source": "gps",
        **extra,
    }


@pytest.fixture
def officer(client, people):
    client.force_login(people.officer_a)
    services.report_open(officer=people.officer_a)  # the today page opened it
    return people.officer_a


@pytest.mark.parametrize("earlier", [0, 6])
def test_one_activity_is_submitted_in_few_queries_without_savepoint_probes(
    client, officer, earlier
):
    place = factories.place(by=officer)
    for _ in range(earlier):  # the same cost on a full day as on an empty one
        client.post(reverse("reports:activity_create"), form_data(place))
    data = form_data(place)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("reports:activity_create"), data)
    assert response.status_code == 302
    statements = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in statements if '"_check"' in sql], "full_clean probed a constraint"
    assert len(statements) == SUBMIT_QUERIES, "\n".join(statements)
    assert Activity.objects.filter(client_id=data["client_id"]).count() == 1


def test_a_repeated_submit_returns_the_first_activity(client, officer):
    place = factories.place(by=officer)
    data = form_data(place)
    first = client.post(reverse("reports:activity_create"), data)
    again = client.post(reverse("reports:activity_create"), data)
    assert first.status_code == again.status_code == 302
    assert first.url == again.url
    assert Activity.objects.filter(client_id=data["client_id"]).count() == 1


def test_someone_elses_key_is_refused(client, officer, people):
    place = factories.place(by=officer)
    data = form_data(place)
    client.post(reverse("reports:activity_create"), data)
    client.force_login(people.officer_a2)
    services.report_open(officer=people.officer_a2)
    response = client.post(reverse("reports:activity_create"), data)
    assert response.status_code == 403
    assert Activity.objects.filter(client_id=data["client_id"]).count() == 1


def test_a_constraint_the_form_let_through_is_said_beside_its_field(officer, monkeypatch):
    # The form and the service check the warrant rule first; here the database is the only
    # guard left, as it would be for a rule the Python checks miss.
    original = Activity.save

    def save_both(self, *args, **kwargs):
        self.warrant_to_follow, self.warrant_number = True, "SP-1"
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Activity, "save", save_both)
    with pytest.raises(ValidationError) as refused:
        services.activity_create(
            by=officer,
            client_id=uuid.uuid4(),
            kind="administrative",
            source="apoa",
            started_at=timezone.now(),
        )
    assert "warrant_number" in refused.value.message_dict
    assert not Activity.objects.exists()


def test_a_unique_key_error_is_not_mistaken_for_a_constraint():
    error = IntegrityError("UNIQUE constraint failed: reports_activity.client_id")
    assert activities._refused_by_constraint(error, services.ACTIVITY_CONSTRAINTS) is None


def test_the_submit_bench_runs_both_sides_and_leaves_nothing(db):
    before = Activity.objects.count()
    out = io.StringIO()
    call_command("bench_submit", requests=4, rounds=2, stdout=out)
    result = json.loads(out.getvalue())["activity_submit"]
    assert result["form"]["requests"] == result["bare"]["requests"] == 4
    assert result["form"]["queries"] > result["bare"]["queries"] >= 3
    assert Activity.objects.count() == before


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_warrant_date_is_read_as_a_plain_date_field_reads_it(language):
    # The ISO shortcut (what <input type="date"> sends) gives the same date or the same refusal.
    values = [
        "2026-12-06",
        " 2026-12-06 ",
        "06-12-2026",
        "06/12/2026",
        "12/06/2026",
        "2026-02-30",
        "20261206",
        "<script>",
        "",
    ]

    def read(field, value):
        try:
            return field.clean(value)
        except ValidationError as error:
            return error.messages

    with translation.override(language):
        for value in values:
            expected = read(django_forms.DateField(required=False), value)
            assert read(DateInputField(required=False), value) == expected, value
