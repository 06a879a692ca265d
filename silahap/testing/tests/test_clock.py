"""The suite's clock never runs a test across midnight in Jakarta, and only moves forward."""

from __future__ import annotations

import datetime

import pytest

from silahap.testing.clock import JAKARTA, daytime_in_jakarta


@pytest.mark.parametrize(
    ("start", "moved"),
    [
        ("2026-12-07T23:54", "2026-12-08T10:00"),  # the PostgreSQL run that crossed midnight
        ("2026-12-07T21:00", "2026-12-08T10:00"),
        ("2026-12-08T00:18", "2026-12-08T10:00"),
        ("2026-12-08T05:59", "2026-12-08T10:00"),
        ("2026-12-08T06:00", None),
        ("2026-12-08T20:59", None),
    ],
)
def test_a_run_that_could_cross_midnight_moves_forward_to_mid_morning(start, moved):
    here = datetime.datetime.fromisoformat(start).replace(tzinfo=JAKARTA)
    to = daytime_in_jakarta(here)
    if moved is None:
        assert to is None
        return
    assert to == datetime.datetime.fromisoformat(moved).replace(tzinfo=JAKARTA)
    assert datetime.timedelta(0) < to - here < datetime.timedelta(days=1)
    # A whole day of suite time (two runs of half an hour and far more) stays on that day.
    assert (to + datetime.timedelta(hours=12)).date() == to.date()


def test_the_hour_is_read_in_jakarta_whatever_the_zone_given():
    utc = datetime.datetime(2026, 12, 7, 16, 54, tzinfo=datetime.UTC)  # 23:54 in Jakarta
    assert daytime_in_jakarta(utc) == datetime.datetime(2026, 12, 8, 10, tzinfo=JAKARTA)
