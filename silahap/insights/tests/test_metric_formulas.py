"""Each metric against a week counted by hand (holidays, leave, a late and a returned report)."""

from __future__ import annotations

from silahap.insights import metrics, queries
from silahap.insights.queries import Rows
from silahap.insights.tests.conftest import WEEK
from silahap.supervision import workdays


def _read(rows: Rows) -> dict:
    return queries.measure(metrics.SHOWN, rows=rows, start=WEEK[0], end=WEEK[1])[None]


def test_the_week_has_four_working_days(db):
    assert [day.day for day in workdays.working_days(*WEEK)] == [24, 25, 26, 27]


def test_team_metrics_match_the_hand_count(week):
    values = _read(Rows(paths=(week.team_a.path,)))
    assert values["reports_on_time"] == 2
    assert values["reports_late"] == 1
    # A: Thursday (Wednesday is leave); A2: Tuesday to Thursday. Friday and Monday 31 are off.
    assert values["reports_missing"] == 4
    assert values["reports_due"] == 7
    # The closed activity of A2, its check and person are never counted.
    assert values["activities"] == 2
    assert values["places_visited"] == 1
    assert values["persons_checked"] == 2
    assert values["checks"] == 3
    assert values["findings"] == 1
    assert values["overstays"] == 1
    assert values["followups_opened"] == 1
    assert values["followups_closed"] == 0
    # Decided: Monday's (approved) and Tuesday's (returned, then approved): one of two returned.
    assert values["returned_share"] == 50.0
    # First decisions after 16 h and 1 h: the median of two is their mean, 8.5 h.
    assert values["review_turnaround"] == 8.5
    assert values["evidence_share"] == 0.0


def test_one_officer_reads_only_their_days(week):
    values = _read(Rows(paths=(week.team_a.path,), officer_ids=(week.officer_a.pk,)))
    assert (values["reports_on_time"], values["reports_late"], values["reports_missing"]) == (
        1,
        1,
        1,
    )
    assert values["persons_checked"] == 2


def test_distinct_persons_are_not_summed_from_days(week):
    by_day = [
        _day_value(week, day)["persons_checked"] for day in (WEEK[0], WEEK[0].replace(day=25))
    ]
    assert by_day == [2, 1]
    assert _read(Rows(paths=(week.team_a.path,)))["persons_checked"] == 2


def _day_value(week, day):
    return queries.measure(metrics.SHOWN, rows=Rows(paths=(week.team_a.path,)), start=day, end=day)[
        None
    ]


def test_another_office_reads_nothing_of_it(week):
    values = _read(Rows(paths=(week.office_b.path,)))
    assert values["activities"] == 0
    assert values["reports_due"] == 0
    assert values["review_turnaround"] is None
    assert values["returned_share"] is None
