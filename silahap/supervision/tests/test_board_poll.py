"""The board's poll with nothing new is a 304 that reads no board: the leader's units are still
checked (a leadership that ended is a 403), every kind of write the board shows makes the next
poll a full answer, and a cache that is missing or down means full answers, never a wrong 304."""

from __future__ import annotations

import datetime

import pytest
import redis
import time_machine
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from silahap import changes
from silahap.accounts import services as accounts
from silahap.reports import services as reports
from silahap.supervision import board_poll, services
from silahap.supervision.tests.helpers import (
    DAY,
    WIB,
    _history,
    _today,
    activity_now,
    at,
    member,
)
from silahap.testing.external import DEAD_REDIS_URL, REDIS_URL, redis_caches, shared_redis_cache

pytestmark = pytest.mark.django_db

FEED = reverse("supervision:board_feed")
# Session, user, the leader's memberships: nothing of the board itself.
NOT_MODIFIED_QUERIES = 3


@pytest.fixture
def shared_cache():
    with shared_redis_cache() as config, override_settings(CACHES=config):
        yield config


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed: the tokens are renewed after the commit."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def poll(client, cursor, label=""):
    headers = {"X-Silahap-Poll": "1"}
    if label:
        headers["If-None-Match"] = label
    return client.get(f"{FEED}?after={cursor}", headers=headers)


def first_poll(client, people, committed):
    committed(activity_now, people.officer_a)
    client.force_login(people.leader_a)
    response = poll(client, 0)
    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    return response.json()["cursor"], response["ETag"]


@pytest.mark.parametrize("history", [60, 600])
def test_a_poll_with_nothing_new_is_a_304_in_the_same_queries_whatever_the_data(
    client, people, shared_cache, committed, django_assert_max_num_queries, history
):
    committed(_today, people)
    _history(people, history)
    for number in range(history // 60):  # officers grow with the data as well
        member(f"officer_x{number}", people.team_a, run=committed)
    cursor, label = first_poll(client, people, committed)
    with (
        CaptureQueriesContext(connection) as captured,
        django_assert_max_num_queries(NOT_MODIFIED_QUERIES),
    ):
        response = poll(client, cursor, label)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == label
    assert response["X-Board-Cursor"] == cursor
    assert not any("reports_" in query["sql"] for query in captured)
    # The same label goes on answering 304 until something changes.
    assert poll(client, cursor, label).status_code == 304


def _submitted(people, committed):
    activity = committed(activity_now, people.officer_a2, minutes_ago=40)
    return committed(reports.report_submit, report=activity.report, by=people.officer_a2)


def _check_new_row(before, after, people, made):
    assert after["rows"].count('data-testid="board-activity"') == 1
    assert f'data-activity="{made.pk}"' in after["rows"]
    assert after["cursor"] == str(made.pk)
    officer = after["officers"]["officer_a2"]
    assert officer["activities"] == before["officers"]["officer_a2"]["activities"] + 1


CHANGES = {
    "activity filed": (
        None,
        lambda people, committed, ready: committed(activity_now, people.officer_a2, minutes_ago=5),
        _check_new_row,
    ),
    "report submitted": (
        None,
        lambda people, committed, ready: committed(
            reports.report_submit,
            report=people.officer_a.daily_reports.get(),
            by=people.officer_a,
        ),
        lambda before, after, people, made: (
            after["officers"]["officer_a"]["state"] == "filed"
            and after["queue_count"] == before["queue_count"] + 1
        ),
    ),
    "report approved": (
        _submitted,
        lambda people, committed, ready: committed(
            reports.report_approve, report=ready, by=people.leader_a
        ),
        lambda before, after, people, made: (
            after["officers"]["officer_a2"]["badges"][0]["class"] == "approved"
            and after["queue_count"] == before["queue_count"] - 1
        ),
    ),
    "report returned": (
        _submitted,
        lambda people, committed, ready: committed(
            reports.report_return, report=ready, by=people.leader_a, reason="Foto kurang jelas."
        ),
        lambda before, after, people, made: (
            after["officers"]["officer_a2"]["badges"][0]["class"] == "returned"
            and after["queue_count"] == before["queue_count"] - 1
        ),
    ),
    "activity removed": (
        lambda people, committed: committed(activity_now, people.officer_a2, minutes_ago=50),
        lambda people, committed, ready: committed(
            reports.activity_delete, by=people.officer_a2, activity=ready
        ),
        lambda before, after, people, made: (
            after["officers"]["officer_a2"]["activities"]
            == before["officers"]["officer_a2"]["activities"] - 1
        ),
    ),
    "absence recorded": (
        None,
        lambda people, committed, ready: committed(
            services.absence_record,
            by=people.leader_a,
            user=people.officer_a2,
            kind="sick",
            start_date=timezone.localdate(),
            end_date=timezone.localdate(),
        ),
        lambda before, after, people, made: after["officers"]["officer_a2"]["state"] == "absent",
    ),
    "officer joined": (
        lambda people, committed: accounts.user_create(
            by=None, username="officer_a9", full_name="Officer A9", password=None
        ),
        lambda people, committed, ready: committed(
            accounts.membership_create,
            by=None,
            user=ready,
            unit=people.team_a,
            role="officer",
            start_date=datetime.date(2024, 1, 1),
        ),
        lambda before, after, people, made: (
            "officer_a9" not in before["officers"] and "officer_a9" in after["officers"]
        ),
    ),
    "officer left": (
        None,
        lambda people, committed, ready: committed(
            accounts.membership_end,
            by=None,
            membership=people.officer_a2.memberships.get(),
            end_date=timezone.localdate() - datetime.timedelta(days=1),
        ),
        lambda before, after, people, made: "officer_a2" not in after["officers"],
    ),
    "account switched off": (
        None,
        lambda people, committed, ready: committed(
            accounts.user_update, by=None, user=people.officer_a2, is_active=False
        ),
        lambda before, after, people, made: "officer_a2" not in after["officers"],
    ),
}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_each_kind_of_change_the_board_shows_makes_the_next_poll_a_full_answer(
    client, people, shared_cache, committed, kind
):
    prepare, change, check = CHANGES[kind]
    ready = prepare(people, committed) if prepare else None
    cursor, label = first_poll(client, people, committed)
    before = poll(client, 0).json()
    assert poll(client, cursor, label).status_code == 304
    made = change(people, committed, ready)
    response = poll(client, cursor, label)
    assert response.status_code == 200
    assert response["ETag"] != label
    after = response.json()
    assert check(before, after, people, made) is not False
    # And from the new label on, nothing new again.
    assert poll(client, after["cursor"], response["ETag"]).status_code == 304


def test_a_change_in_another_office_leaves_the_board_not_modified(
    client, people, shared_cache, committed
):
    cursor, label = first_poll(client, people, committed)
    committed(activity_now, people.officer_b, minutes_ago=5)
    assert poll(client, cursor, label).status_code == 304


def test_a_leadership_that_ended_is_a_403_even_with_a_matching_label(
    client, people, shared_cache, committed
):
    cursor, label = first_poll(client, people, committed)
    membership = people.leader_a.memberships.get(role="leader")
    # Ended behind the services' back: no token is renewed, only the check of the units stops it.
    membership.end_date = timezone.localdate() - datetime.timedelta(days=1)
    membership.save(update_fields=["end_date"])
    response = poll(client, cursor, label)
    assert response.status_code == 403
    assert b"board-activity" not in response.content


def test_a_label_for_another_cursor_or_language_is_a_full_answer(
    client, people, shared_cache, committed, settings
):
    cursor, label = first_poll(client, people, committed)
    assert poll(client, int(cursor) - 1, label).status_code == 200
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = poll(client, cursor, label)
    assert english.status_code == 200
    assert english["Content-Language"] == "en"
    assert poll(client, cursor, english["ETag"]).status_code == 304


def test_a_cache_that_is_down_gives_the_full_answer_and_no_label(
    client, people, shared_cache, committed
):
    cursor, label = first_poll(client, people, committed)
    with override_settings(CACHES=redis_caches(DEAD_REDIS_URL)):
        response = poll(client, cursor, label)
    assert response.status_code == 200
    assert "ETag" not in response
    data = response.json()
    assert data["cursor"] == cursor
    assert set(data["officers"]) == {"officer_a", "officer_a2"}


def test_tokens_lost_with_a_restarted_cache_give_a_full_answer(
    client, people, shared_cache, committed
):
    cursor, label = first_poll(client, people, committed)
    raw = redis.Redis.from_url(REDIS_URL)
    prefix = shared_cache["default"]["KEY_PREFIX"]
    raw.delete(*raw.keys(f"{prefix}:*{changes.PREFIX}*"))
    raw.close()
    response = poll(client, cursor, label)
    assert response.status_code == 200
    assert response["ETag"] != label


def test_without_a_shared_cache_every_poll_is_a_full_answer(client, people, committed):
    # This process's memory would miss the other processes' writes: no labels at all.
    cursor = committed(activity_now, people.officer_a).pk
    client.force_login(people.leader_a)
    response = poll(client, cursor, 'W/"9999999999.' + "0" * 32 + '"')
    assert response.status_code == 200
    assert "ETag" not in response
    assert changes.tokens(["/1/"]) is None


def test_a_label_is_a_full_answer_from_its_expiry_on(client, people, shared_cache, committed):
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        cursor, label = first_poll(client, people, committed)
        expires = int(label.split('"')[1].split(".")[0])
        assert expires <= (now + datetime.timedelta(seconds=board_poll.REFRESH_SECONDS)).timestamp()
        clock.move_to(datetime.datetime.fromtimestamp(expires - 1, tz=datetime.UTC))
        assert poll(client, cursor, label).status_code == 304
        clock.move_to(datetime.datetime.fromtimestamp(expires, tz=datetime.UTC))
        response = poll(client, cursor, label)
    assert response.status_code == 200
    assert response["ETag"] != label


# Mid-morning: a deadline half a minute away is then not after midnight (the day's end, which
# the board also changes at).
@time_machine.travel(at(10, day=DAY, zone=WIB), tick=False)
def test_the_label_expires_at_an_officers_deadline(people):
    rows = [
        board_poll.OfficerDay(officer=people.officer_a, unit=people.team_a, deadline=None),
    ]
    now = timezone.now()
    deadline = now.replace(microsecond=0) + datetime.timedelta(seconds=30)  # deadlines: minutes
    rows.append(
        board_poll.OfficerDay(officer=people.officer_a2, unit=people.team_a, deadline=deadline)
    )
    assert board_poll.next_change(rows, now) == deadline
    past = now - datetime.timedelta(seconds=30)
    rows[1].deadline = past  # "missing" already: it changes nothing more today
    assert board_poll.next_change(rows, now) <= now + datetime.timedelta(
        seconds=board_poll.REFRESH_SECONDS
    )
    assert board_poll.next_change(rows, now) > now


def test_a_commit_renews_the_unit_and_those_above_it_and_a_rollback_nothing(
    people, shared_cache, django_capture_on_commit_callbacks
):
    paths = [people.office_a.path, people.section_a.path, people.team_a.path]
    elsewhere = [people.office_b.path]
    before, other = changes.tokens(paths), changes.tokens(elsewhere)
    assert before is not None
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                changes.unit_changed(people.team_a.path)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert changes.tokens(paths) == before
    with django_capture_on_commit_callbacks(execute=True):
        changes.unit_changed(people.team_a.path)
    after = changes.tokens(paths)
    assert after is not None
    assert all(after[path] != before[path] for path in paths)
    assert changes.tokens(elsewhere) == other


# Session, user, the leader's memberships, the new activities and the queue's count.
SHARED_QUERIES = 5


@pytest.mark.parametrize("history", [60, 600])
def test_leaders_of_the_same_units_share_the_officers_states_until_a_change(
    client, people, shared_cache, committed, django_assert_max_num_queries, history
):
    committed(_today, people)
    _history(people, history)
    second = member("leader_a9", people.section_a, "leader", run=committed)
    client.force_login(people.leader_a)
    first = poll(client, 0).json()
    other = Client()
    other.force_login(second)
    poll(other, 0)  # the session's first request reads what later ones keep (the zone)
    with django_assert_max_num_queries(SHARED_QUERIES):
        shared = poll(other, 0)
    assert shared.status_code == 200
    assert shared.json()["officers"] == first["officers"]
    report = people.officer_a.daily_reports.order_by("-report_date").first()
    committed(reports.report_submit, report=report, by=people.officer_a)
    changed = poll(other, 0).json()
    assert changed["officers"]["officer_a"]["state"] == "filed"
    assert changed["officers"] != first["officers"]
