"""Late and missing reports: each office's deadline in its own zone, holidays, absences."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from silahap.reports import services as reports
from silahap.supervision import queries, services, workdays
from silahap.supervision.models import Holiday
from silahap.supervision.tests.helpers import (
    COLLECTIVE_LEAVE,
    DAY,
    WIB,
    WIT,
    WITA,
    at,
    audit_records,
    filed_report,
    officer_in_new_office,
    place,
)

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def missing_names(people, day=DAY, now=None):
    rows = queries.missing_reports(units=[people.dg], start=day, end=day, now=now)
    return {row.officer.username for row in rows}


@pytest.fixture
def jayapura(people):
    return officer_in_new_office(code="JYP", timezone_name="Asia/Jayapura", parent=people.dg)


def test_the_national_calendar_has_public_holidays_and_collective_leave():
    assert not workdays.is_working_day(datetime.date(2025, 3, 31))  # Idul Fitri
    assert not workdays.is_working_day(COLLECTIVE_LEAVE)  # cuti bersama
    assert not workdays.is_working_day(datetime.date(2025, 3, 15))  # a Saturday
    assert workdays.is_working_day(DAY)


def test_the_holiday_table_cancels_or_adds_dates():
    Holiday.objects.create(
        date=COLLECTIVE_LEAVE, name="Masuk", kind="collective", is_working_day=True
    )
    Holiday.objects.create(date=DAY, name="Libur daerah", kind="public")
    assert workdays.is_working_day(COLLECTIVE_LEAVE)
    assert not workdays.is_working_day(DAY)


def test_a_report_is_missing_only_after_its_own_offices_deadline(people, jayapura):
    # 20:00 WIT is 11:00 UTC, 20:00 WITA 12:00 UTC, 20:00 WIB 13:00 UTC.
    before_any = datetime.datetime(2025, 3, 11, 10, 59, tzinfo=UTC)
    assert missing_names(people, now=before_any) == set()
    after_wit = datetime.datetime(2025, 3, 11, 11, 30, tzinfo=UTC)
    assert missing_names(people, now=after_wit) == {"officer_jyp"}
    after_wita = datetime.datetime(2025, 3, 11, 12, 30, tzinfo=UTC)
    assert missing_names(people, now=after_wita) == {"officer_jyp", "officer_b"}
    after_wib = datetime.datetime(2025, 3, 11, 13, 0, tzinfo=UTC)
    assert missing_names(people, now=after_wib) == {
        "officer_jyp",
        "officer_b",
        "officer_a",
        "officer_a2",
    }


def test_leaders_are_not_counted_as_missing_officers(people):
    with time_machine.travel(at(21, day=DAY, zone=WIB), tick=False):
        assert "leader_a" not in missing_names(people)


def test_a_filed_report_is_not_missing_and_a_late_one_is_late(people):
    filed_report(by=people.officer_a, day=DAY, zone=WIB, at_place=place(by=people.officer_a))
    late = filed_report(
        by=people.officer_a2,
        day=DAY,
        zone=WIB,
        at_place=place(by=people.officer_a2, name="Apartemen"),
        submit_hour=21,
    )
    with time_machine.travel(at(22, day=DAY, zone=WIB), tick=False):
        assert missing_names(people) == {"officer_b"}
        assert list(queries.late_reports([people.office_a], DAY, DAY)) == [late]


def test_a_returned_report_was_filed_and_is_not_missing(people):
    report = filed_report(
        by=people.officer_a, day=DAY, zone=WIB, at_place=place(by=people.officer_a)
    )
    reports.report_return(report=report, by=people.leader_a, reason="Lengkapi.")
    with time_machine.travel(at(21, day=DAY, zone=WIB), tick=False):
        assert "officer_a" not in missing_names(people)


def test_nobody_is_missing_on_collective_leave_or_a_weekend(people):
    with time_machine.travel(at(23, day=COLLECTIVE_LEAVE, zone=WIB), tick=False):
        assert missing_names(people, day=COLLECTIVE_LEAVE) == set()
    saturday = datetime.date(2025, 3, 15)
    with time_machine.travel(at(23, day=saturday, zone=WIB), tick=False):
        assert missing_names(people, day=saturday) == set()


def test_an_officer_on_leave_sick_or_travelling_is_not_missing(people, jayapura):
    with audit_records("absence.record", "absence.record"):
        services.absence_record(
            by=people.leader_a,
            user=people.officer_a,
            kind="leave",
            start_date=DAY - datetime.timedelta(days=1),
            end_date=DAY,
        )
        services.absence_record(
            by=people.leader_b,
            user=people.officer_b,
            kind="duty_travel",
            start_date=DAY,
            end_date=DAY,
        )
    with time_machine.travel(at(23, day=DAY, zone=WIB), tick=False):
        assert missing_names(people) == {"officer_a2", "officer_jyp"}


def test_a_range_lists_each_missing_working_day(people):
    monday, friday = datetime.date(2025, 3, 31), datetime.date(2025, 4, 11)
    with time_machine.travel(datetime.datetime(2025, 4, 12, 12, tzinfo=WIB), tick=False):
        rows = queries.missing_reports(units=[people.team_a], start=monday, end=friday)
    days = sorted({row.day for row in rows if row.officer == people.officer_a})
    # 31 Mar–1 Apr Idul Fitri, 2–4 and 7 Apr cuti bersama: only 8–11 Apr are working days.
    assert days == [datetime.date(2025, 4, d) for d in (8, 9, 10, 11)]


def test_only_a_leader_or_administrator_above_records_an_absence(people):
    for outsider in (people.officer_a2, people.leader_b, people.officer_a):
        with pytest.raises(PermissionDenied):
            services.absence_record(
                by=outsider, user=people.officer_a, kind="sick", start_date=DAY, end_date=DAY
            )
    services.absence_record(
        by=people.office_admin, user=people.officer_a, kind="sick", start_date=DAY, end_date=DAY
    )


def test_missing_reports_cost_a_fixed_number_of_queries(people, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        queries.missing_reports(
            units=[people.dg],
            start=DAY,
            end=DAY + datetime.timedelta(days=20),
            now=datetime.datetime(2025, 4, 30, tzinfo=WITA),
        )


def test_deadline_uses_each_offices_zone(people, jayapura):
    office = jayapura.memberships.get().unit
    assert workdays.deadline(office, DAY) == at(20, day=DAY, zone=WIT)
    assert workdays.deadline(people.section_b, DAY) == at(20, day=DAY, zone=WITA)


def test_the_boards_shared_roster_answers_as_the_separate_reads_do(people, jayapura):
    """The live board reads its units' officers once for today's states and the week's missing
    reports: the answers are the ones each read gives alone, through an absence, a membership
    that ended mid-week, a filed report, a holiday and zones ahead of the server's."""
    monday = DAY - datetime.timedelta(days=DAY.weekday())
    start, end = monday - datetime.timedelta(days=7), DAY
    services.absence_record(
        by=people.leader_a,
        user=people.officer_a,
        kind="sick",
        start_date=DAY - datetime.timedelta(days=2),
        end_date=DAY,
    )
    moved = people.officer_a2.memberships.get(role="officer")
    moved.end_date = DAY - datetime.timedelta(days=3)
    moved.save(update_fields=["end_date"])
    Holiday.objects.create(date=monday, name="Libur daerah", kind="public")
    filed_report(by=people.officer_b, day=DAY, zone=WITA, at_place=place(by=people.officer_b))
    seen = []
    for moment in (at(10, day=DAY, zone=WIB), at(23, day=DAY, zone=WIB)):
        with time_machine.travel(moment, tick=False):
            units = [people.dg]
            shared = queries.roster(units, start, end)
            alone = queries.missing_reports(units=units, start=start, end=end)
            together = queries.missing_reports(units=units, start=start, end=end, given=shared)
            assert [(r.officer.pk, r.day, r.deadline) for r in together] == [
                (r.officer.pk, r.day, r.deadline) for r in alone
            ]
            assert together  # the week before has missing days to compare
            states = [
                (row.officer.pk, row.state, row.activity_count, row.deadline, row.absence)
                for row in queries.officers_today(units)
            ]
            assert states == [
                (row.officer.pk, row.state, row.activity_count, row.deadline, row.absence)
                for row in queries.officers_today(units, shared)
            ]
            seen.append({pk: state for pk, state, *_rest in states})
            assert people.officer_a2.pk not in {pk for pk, *_rest in states}
    # By day officer_b has filed; at 23:00 WIB it is already tomorrow in Makassar (WITA).
    assert seen[0][people.officer_a.pk] == "absent"
    assert seen[0][people.officer_b.pk] == "filed"
    assert seen[1][people.officer_b.pk] == "not_yet"


def test_a_roster_costs_three_queries_and_spares_the_board_three(people, django_assert_num_queries):
    with django_assert_num_queries(3):
        shared = queries.roster([people.dg], DAY - datetime.timedelta(days=7), DAY)
    with django_assert_num_queries(1):
        queries.missing_reports(units=[people.dg], start=shared.start, end=DAY, given=shared)
