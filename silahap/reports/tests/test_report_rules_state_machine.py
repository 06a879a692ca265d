"""Random sequences of report actions by random people, checked against a small reference model.

The reference model below is written out by hand from DESIGN.md §2–§3 (who leads which unit, which
state allows what); it never asks `access` or the services, so a rule broken in either shows up
as a disagreement after some step.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from silahap.accounts import services as accounts
from silahap.accounts.models import Membership
from silahap.audit.models import AuditEvent
from silahap.reports import services
from silahap.reports.models import Activity, DailyReport, ReportRevision
from silahap.reports.snapshot import report_snapshot
from silahap.reports.tests import factories
from silahap.reports.tests.factories import DAY, PASSWORD, SINCE, WIB, WITA, at

YESTERDAY = DAY - datetime.timedelta(days=1)
DAYS = [DAY, YESTERDAY]
# 10:00 WIB (11:00 WITA): before every office's 20:00 deadline today, after yesterday's.
NOW = at(10, 0)

AUTHORS = [
    "officer_a",
    "officer_a2",
    "former_plh",
    "leader_a",
    "head_a",
    "officer_b",
    "leader_b",
]
EVERYONE = [*AUTHORS, "analyst", "partner"]
REPORTING_UNIT = {
    "officer_a": "team_a",
    "officer_a2": "team_a",
    "former_plh": "team_a",
    "leader_a": "section_a",
    "head_a": "office_a",
    "officer_b": "section_b",
    "leader_b": "section_b",
}
# The current leaders of each unit or above it. officer_a2 is acting leader (Plh) of section A now;
# former_plh was, until a week ago.
LEADERS_OF = {
    "team_a": {"leader_a", "head_a", "officer_a2"},
    "section_a": {"leader_a", "head_a", "officer_a2"},
    "office_a": {"head_a"},
    "section_b": {"leader_b"},
}
ZONE_OF = {name: WITA if unit == "section_b" else WIB for name, unit in REPORTING_UNIT.items()}
REASONS = ["", "   ", "Tambahkan titik GPS.", "Foto kurang jelas.", "Lengkapi surat perintah."]
EDITABLE = ("draft", "returned")


@dataclasses.dataclass
class ReferenceReport:
    author: str
    day: datetime.date
    status: str = "draft"
    revisions: int = 0
    activities: int = 0
    incomplete: set[int] = dataclasses.field(default_factory=set)
    decided_by: str | None = None
    late: bool | None = None
    submit_ids: list[uuid.UUID] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ReferenceActivity:
    pk: int
    client_id: uuid.UUID
    report: tuple[str, datetime.date]


class ReportRules(RuleBasedStateMachine):
    def __init__(self, users, place, outcomes):
        super().__init__()
        self.users = users
        self.place = place
        self.outcomes = outcomes
        self.reports: dict[tuple[str, datetime.date], ReferenceReport] = {}
        self.activities: list[ReferenceActivity] = []
        self.frozen: dict[uuid.UUID, dict] = {}
        # Each example runs in a savepoint that teardown rolls back: the personas stay.
        self.example = transaction.atomic()
        self.example.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self.example.__exit__(None, None, None)

    def db_report(self, key) -> DailyReport:
        author, day = key
        return DailyReport.objects.get(officer=self.users[author], report_date=day)

    def attempt(self, step, expected, call, actions):
        """Call a service; it must raise `expected` and add no event, or succeed with `actions`."""
        last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
        try:
            result = call()
        # The state machine compares the refusal with the model's: an except is the comparison.
        except (PermissionDenied, ValidationError) as error:
            assert expected is not None, f"{step}: refused with {error!r}, the model allows it"  # noqa: PT017
            assert type(error) is expected, (  # noqa: PT017
                f"{step}: {error!r} raised, the model expects {expected}"
            )
            result = None
        else:
            assert expected is None, f"{step}: allowed, but the model expects {expected.__name__}"
        added = list(
            AuditEvent.objects.filter(sequence__gt=last or 0).values_list("action", flat=True)
        )
        assert added == ([] if expected else actions), f"{step}: audit events added: {added}"
        self.outcomes[step, expected.__name__ if expected else "allowed"] += 1
        return result

    # --- what each step does, and what the model says of it ---------------------------------

    def open_report(self, actor, day):
        key = (actor, day)
        expected = None if actor in AUTHORS else PermissionDenied
        opened = expected is None and key not in self.reports
        self.attempt(
            "open",
            expected,
            lambda: services.report_open(officer=self.users[actor], day=day),
            ["report.open"] if opened else [],
        )
        if opened:
            self.reports[key] = ReferenceReport(author=actor, day=day)

    def add_activity(self, actor, day, complete):
        key = (actor, day)
        report = self.reports.get(key)
        if actor not in AUTHORS:
            expected = PermissionDenied
        elif report is not None and report.status not in EDITABLE:
            expected = ValidationError
        else:
            expected = None
        client_id = uuid.uuid4()
        activity = self.attempt(
            "add activity",
            expected,
            lambda: factories.field_activity(
                by=self.users[actor],
                # Started in the author's own zone, so it lands on `day` wherever they work.
                started_at=at(9, 0, day=day, zone=ZONE_OF.get(actor, WIB)),
                place=self.place if complete else None,
                client_id=client_id,
            ),
            ["activity.create"],
        )
        if expected is None:
            report = self.reports.setdefault(key, ReferenceReport(author=actor, day=day))
            report.status = "draft"
            report.activities += 1
            if not complete:
                report.incomplete.add(activity.pk)
            self.activities.append(ReferenceActivity(activity.pk, client_id, key))

    def retry_activity(self, known, actor):
        expected = None if actor == known.report[0] else PermissionDenied
        again = self.attempt(
            "retry activity",
            expected,
            lambda: factories.field_activity(
                by=self.users[actor], started_at=NOW, place=None, client_id=known.client_id
            ),
            [],
        )
        if again is not None:
            assert again.pk == known.pk

    def update_activity(self, known, actor):
        report = self.reports[known.report]
        if actor != report.author:
            expected = PermissionDenied
        elif report.status not in EDITABLE:
            expected = ValidationError
        else:
            expected = None
        self.attempt(
            "update activity",
            expected,
            lambda: services.activity_update(
                by=self.users[actor],
                activity=Activity.objects.get(pk=known.pk),
                place=self.place,
                description=f"Edited by {actor}.",
            ),
            ["activity.update"],
        )
        if expected is None:
            report.status = "draft"
            report.incomplete.discard(known.pk)

    def submit(self, key, actor, retry=False):
        report = self.reports[key]
        retried = retry and bool(report.submit_ids)
        client_id = report.submit_ids[-1] if retried else uuid.uuid4()
        if actor != report.author:
            expected = PermissionDenied
        elif retried:
            expected = None
        elif report.status not in EDITABLE or not report.activities or report.incomplete:
            expected = ValidationError
        else:
            expected = None
        self.attempt(
            "retry submit" if retried else "submit",
            expected,
            lambda: services.report_submit(
                report=self.db_report(key), by=self.users[actor], client_id=client_id
            ),
            [] if retried else ["report.submit"],
        )
        if expected is None and not retried:
            report.status = "submitted"
            report.revisions += 1
            report.submit_ids.append(client_id)
            self.frozen[client_id] = ReportRevision.objects.get(client_id=client_id).snapshot
            if report.late is None:
                report.late = report.day != DAY

    def decision_expected(self, report, actor, reason="decided"):
        if not reason.strip():
            return ValidationError
        if actor == report.author:
            return PermissionDenied
        if actor not in LEADERS_OF[REPORTING_UNIT[report.author]]:
            return PermissionDenied
        if report.status != "submitted":
            return ValidationError
        return None

    def approve(self, key, actor):
        report = self.reports[key]
        expected = self.decision_expected(report, actor)
        self.attempt(
            "approve",
            expected,
            lambda: services.report_approve(report=self.db_report(key), by=self.users[actor]),
            ["report.approve"],
        )
        if expected is None:
            report.status, report.decided_by = "approved", actor

    def return_report(self, key, actor, reason):
        report = self.reports[key]
        expected = self.decision_expected(report, actor, reason)
        self.attempt(
            "return",
            expected,
            lambda: services.report_return(
                report=self.db_report(key), by=self.users[actor], reason=reason
            ),
            ["report.return"],
        )
        if expected is None:
            report.status, report.decided_by = "returned", actor

    def revise(self, key, actor, reason):
        report = self.reports[key]
        if not reason.strip():
            expected = ValidationError
        elif actor != report.author:
            expected = PermissionDenied
        elif report.status != "approved":
            expected = ValidationError
        else:
            expected = None
        self.attempt(
            "revise",
            expected,
            lambda: services.report_revise(
                report=self.db_report(key), by=self.users[actor], reason=reason
            ),
            ["report.revise"],
        )
        if expected is None:
            report.status, report.decided_by = "draft", None

    # --- how hypothesis picks steps ----------------------------------------------------------
    # Each step draws from everyone and every report, but two times in three from the people it
    # is meant for and the reports it can work on, so long chains (submit, approve, revise,
    # submit again) happen often enough.

    def draw_report(self, data, ready) -> tuple[str, datetime.date]:
        keys = sorted(self.reports)
        likely = [key for key in keys if ready(self.reports[key])] or keys
        return data.draw(st.sampled_from(likely) | st.sampled_from(likely) | st.sampled_from(keys))

    def draw_actor(self, data, likely) -> str:
        likely = sorted(likely)
        return data.draw(
            st.sampled_from(likely) | st.sampled_from(likely) | st.sampled_from(EVERYONE)
        )

    @initialize(author=st.sampled_from(AUTHORS), day=st.sampled_from(DAYS))
    def a_report_is_submitted(self, author, day):
        self.add_activity(author, day, complete=True)
        self.submit((author, day), author)

    @initialize(
        author=st.sampled_from(["officer_a", "officer_a2", "former_plh", "leader_a", "officer_b"]),
        day=st.sampled_from(DAYS),
        data=st.data(),
    )
    def a_report_is_approved(self, author, day, data):
        self.add_activity(author, day, complete=True)
        self.submit((author, day), author)
        leaders = LEADERS_OF[REPORTING_UNIT[author]] - {author}
        self.approve((author, day), data.draw(st.sampled_from(sorted(leaders))))

    @initialize(
        author=st.sampled_from(["officer_a", "officer_a2", "former_plh", "leader_a", "officer_b"]),
        day=st.sampled_from(DAYS),
        data=st.data(),
    )
    def a_report_is_returned(self, author, day, data):
        self.add_activity(author, day, complete=True)
        self.submit((author, day), author)
        leaders = LEADERS_OF[REPORTING_UNIT[author]] - {author}
        self.return_report((author, day), data.draw(st.sampled_from(sorted(leaders))), REASONS[-1])

    @rule(actor=st.sampled_from(EVERYONE), day=st.sampled_from(DAYS))
    def someone_opens_a_report(self, actor, day):
        self.open_report(actor, day)

    @rule(
        actor=st.sampled_from(EVERYONE),
        day=st.sampled_from(DAYS),
        complete=st.sampled_from([True, True, False]),
    )
    def someone_adds_an_activity(self, actor, day, complete):
        self.add_activity(actor, day, complete)

    @precondition(lambda self: self.activities)
    @rule(data=st.data())
    def someone_retries_adding_an_activity(self, data):
        known = data.draw(st.sampled_from(self.activities))
        self.retry_activity(known, self.draw_actor(data, [known.report[0]]))

    @precondition(lambda self: self.activities)
    @rule(data=st.data())
    def someone_changes_an_activity(self, data):
        known = data.draw(st.sampled_from(self.activities))
        self.update_activity(known, self.draw_actor(data, [self.reports[known.report].author]))

    @precondition(lambda self: self.reports)
    @rule(data=st.data(), retry=st.booleans())
    def someone_submits(self, data, retry):
        key = self.draw_report(
            data, lambda r: r.status in EDITABLE and r.activities and not r.incomplete
        )
        self.submit(key, self.draw_actor(data, [key[0]]), retry)

    @precondition(lambda self: self.reports)
    @rule(data=st.data())
    def someone_approves(self, data):
        key = self.draw_report(data, lambda r: r.status == "submitted")
        deciders = LEADERS_OF[REPORTING_UNIT[key[0]]] | {key[0]}
        self.approve(key, self.draw_actor(data, deciders))

    @precondition(lambda self: self.reports)
    @rule(data=st.data(), reason=st.sampled_from(REASONS))
    def someone_returns(self, data, reason):
        key = self.draw_report(data, lambda r: r.status == "submitted")
        deciders = LEADERS_OF[REPORTING_UNIT[key[0]]] | {key[0]}
        self.return_report(key, self.draw_actor(data, deciders), reason)

    @precondition(lambda self: self.reports)
    @rule(data=st.data(), reason=st.sampled_from(REASONS))
    def someone_asks_for_a_correction(self, data, reason):
        key = self.draw_report(data, lambda r: r.status == "approved")
        self.revise(key, self.draw_actor(data, [key[0]]), reason)

    # --- invariants ------------------------------------------------------------------------

    @invariant()
    def reports_match_the_model(self):
        rows = {
            (report.officer.username, report.report_date): report
            for report in DailyReport.objects.select_related("officer", "decided_by").annotate(
                activity_count=Count("activities")
            )
        }
        assert set(rows) == set(self.reports)
        for key, expected in self.reports.items():
            row = rows[key]
            assert row.status == expected.status, key
            assert row.revision_number == expected.revisions, key
            assert row.activity_count == expected.activities, key
            if expected.late is not None:
                assert row.is_late is expected.late, key
            if expected.status in ("approved", "returned"):
                assert row.decided_by.username == expected.decided_by, key

    @invariant()
    def nobody_decided_their_own_report_and_only_leaders_above_decided(self):
        decisions = DailyReport.objects.filter(decided_by__isnull=False).values_list(
            "officer__username", "decided_by__username"
        )
        for author, decider in decisions:
            assert decider != author
            assert decider in LEADERS_OF[REPORTING_UNIT[author]], (author, decider)

    @invariant()
    def revisions_are_numbered_one_to_n_without_gaps(self):
        numbers: dict[int, list[int]] = {}
        for report_id, number in ReportRevision.objects.order_by("number").values_list(
            "report_id", "number"
        ):
            numbers.setdefault(report_id, []).append(number)
        for report in DailyReport.objects.all():
            assert numbers.get(report.pk, []) == list(range(1, report.revision_number + 1))

    @invariant()
    def approved_reports_still_say_what_their_last_revision_froze(self):
        for report in DailyReport.objects.filter(status=DailyReport.Status.APPROVED):
            last = report.revisions.order_by("-number").first()
            assert last.snapshot == report_snapshot(report)

    @invariant()
    def earlier_revisions_stay_as_they_were_submitted(self):
        revisions = dict(ReportRevision.objects.values_list("client_id", "snapshot"))
        assert revisions == self.frozen

    @invariant()
    def every_activity_sits_on_the_report_of_the_day_it_started(self):
        rows = Activity.objects.values_list(
            "started_at", "report__report_date", "report__unit__timezone"
        )
        for started_at, report_date, zone in rows:
            assert started_at.astimezone(zoneinfo.ZoneInfo(zone)).date() == report_date


def appoint_acting_leaders(people):
    """officer_a2 is Plh of section A now; former_plh (an officer of team A) was until last week."""
    factories.acting_leader(
        user=people.officer_a2,
        unit=people.section_a,
        start_date=DAY - datetime.timedelta(days=10),
        end_date=DAY + datetime.timedelta(days=10),
    )
    former_plh = accounts.user_create(
        by=None, username="former_plh", full_name="Former Plh", password=PASSWORD
    )
    accounts.membership_create(
        by=None, user=former_plh, unit=people.team_a, role=Membership.Role.OFFICER, start_date=SINCE
    )
    factories.acting_leader(
        user=former_plh,
        unit=people.section_a,
        start_date=SINCE,
        end_date=DAY - datetime.timedelta(days=7),
    )
    return former_plh


@pytest.mark.django_db
# The rules are the services' own Python; every action is also tested alone on both databases, so
# the 1,500 random actions run once, on SQLite.
@pytest.mark.one_database("sqlite")
def test_report_rules_hold_for_any_sequence_of_actions(people):
    with time_machine.travel(NOW, tick=False):
        former_plh = appoint_acting_leaders(people)
        place = factories.place(by=people.officer_a)
        users = {name: people.by_name(name) for name in EVERYONE if name != "former_plh"}
        users["former_plh"] = former_plh
        outcomes: Counter = Counter()
        run_state_machine_as_test(
            lambda: ReportRules(users, place, outcomes),
            settings=settings(
                max_examples=50,
                stateful_step_count=30,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    # The machine must reach every transition and refuse every kind of step, or it proves little.
    for step in ["submit", "approve", "return", "revise", "add activity", "update activity"]:
        assert outcomes[step, "allowed"], (step, outcomes)
        assert outcomes[step, "PermissionDenied"] + outcomes[step, "ValidationError"], step
    for refusal in ["PermissionDenied", "ValidationError"]:
        assert sum(outcomes[step, refusal] for step in ["approve", "return", "revise"]), refusal
    assert outcomes["retry submit", "allowed"], outcomes
    assert outcomes["retry activity", "allowed"], outcomes
