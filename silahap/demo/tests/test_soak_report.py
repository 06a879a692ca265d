"""make soak's arithmetic on fixed events (silahap/demo/soak/report.py): what it counts as
acknowledged and present once, the sustainable rate, the minutes, the fault windows and the
recovery. No load, no cluster, no clock."""

from __future__ import annotations

import json

from silahap.demo.soak import report

T0 = 1_000_000.0


def events(*rows: list) -> report.Events:
    return report.read_events(json.dumps(row) for row in rows)


def request(second: float, name: str, ms: float, ok: bool = True) -> list:
    return ["r", T0 + second, name, ms, ok, "" if ok else "502"]


def acked(second: float, key: str, pk: int, *, resent=False, same=None, retries=0) -> list:
    return ["s", T0 + second, key, pk, f"photo-{key}", retries, resent, same]


def summarise(**given) -> dict:
    """report.summary of a quiet ten-minute soak with one request, as `given` changes it."""
    arguments = {
        "tag": "t",
        "steps": [],
        "sustainable": 10,
        "rate": 7,
        "soak": events(request(10, "activity", 100)),
        "start": T0,
        "end": T0 + 600,
        "minutes": {},
        "faults": [],
        "counted": report.count_check(events(), {}),
        "loads": [],
        "settings": {},
    }
    return report.summary(**{**arguments, **given})


def test_each_acknowledged_submission_is_checked_against_the_rows_found():
    seen = events(
        acked(1, "a", 1),
        acked(2, "b", 2, resent=True, same=True),
        acked(3, "c", 3, retries=2),
        acked(4, "d", 4),
        ["u", T0 + 5, "e"],
    )
    database = {
        "a": {"activities": 1, "activity": 1, "photos": 1},
        "b": {"activities": 1, "activity": 2, "photos": 1},
        "c": {"activities": 1, "activity": 3, "photos": 2},  # a second photo
        # "d" is missing
        "e": {"activities": 1, "activity": 5, "photos": 0},  # sent, answer never seen
        "x": {"activities": 1, "activity": 6, "photos": 0},  # a row nobody sent
    }

    counted = report.count_check(seen, database)

    assert counted["acknowledged"] == 4
    assert counted["present_once"] == 3
    assert counted["missing"] == 1
    assert counted["present_once_pct"] == 75.0
    assert counted["photo_once"] == 2
    assert counted["photo_not_once"] == 2  # c with two, d with none
    assert counted["resent_after_ack"] == 1
    assert counted["resent_same_record"] == 1
    assert counted["retried_before_answer"] == 1
    assert counted["of_those_in_database"] == 1
    assert counted["rows_of_no_submission"] == 1


def test_the_sustainable_rate_is_the_last_step_that_held_before_the_first_that_did_not():
    rows = [["m", T0, "step", 2], ["m", T0 + 30, "step", 4], ["m", T0 + 60, "step", 6]]
    for second in range(0, 90):
        slow = second >= 60  # the third step is over the line
        rows.append(request(second, "activity", 1500 if slow else 200))
        rows.append(request(second + 0.5, "photo", 300))
    for step_start, rate in ((0, 2), (30, 4), (60, 6)):
        for index in range(int(20 * rate)):
            rows.append(acked(step_start + 10 + index / rate, f"{step_start}-{index}", index))
    rows.append(["m", T0 + 90, "end", 0])

    steps = report.step_results(events(*rows), warm=10)

    assert [step["rate"] for step in steps] == [2, 4, 6]
    assert [step["ok"] for step in steps] == [True, True, False]
    assert report.sustainable_rate(steps) == 4
    assert report.sustainable_rate([{**steps[0], "ok": False}, steps[1]]) == 0


def test_percentiles_per_minute_and_the_drift_of_p99():
    rows = [request(60 + second, "board", 100) for second in range(50)]
    rows += [request(540 + second, "board", 150) for second in range(50)]

    minutes = report.per_minute(events(*rows), T0, T0 + 600)

    assert [row["minute"] for row in minutes["board"]] == [2, 10]
    assert minutes["board"][0]["p99_ms"] == 100
    assert report.drift(minutes) == {"board": 1.5}


def test_errors_inside_and_outside_the_fault_windows_and_the_recovery():
    faults = [{"fault": "kill node1", "at": T0 + 100}]
    rows = [request(second, "activity", 200) for second in range(0, 200)]
    rows += [request(101, "activity", 50, ok=False), request(112, "photo", 1800)]
    rows += [request(150, "board", 40, ok=False)]  # after the window: counts outside
    rows += [request(99.9, "photo", 300, ok=False)]  # under way when the node died: inside
    seen = events(*rows)

    windows = report.errors_by_window(seen, faults, T0, T0 + 200)

    assert windows["inside"]["errors"] == 2
    assert windows["outside"]["errors"] == 1
    assert windows["outside"]["requests"] == 171
    # Bad until the 5-s bucket holding the slow photo at 12 s, and again the error at 50 s.
    assert report.recovery_seconds(seen, T0 + 100) == 55
    assert report.recovery_seconds(events(*rows[:200]), T0 + 100) == 0


def test_slow_buckets_without_a_fault_are_counted_to_read_each_recovery_against():
    rows = [request(second, "activity", 200) for second in range(600)]
    rows += [request(11, "photo", 1500)]  # the first seconds: the boards all open
    rows += [request(101, "photo", 1500)]  # slow with no fault near
    rows += [request(296, "activity", 50, ok=False)]  # the bucket the fault struck in
    rows += [request(322, "activity", 1900)]  # after the fault
    rows += [request(502, "board", 40, ok=False)]  # an error with no fault near
    faults = [{"fault": "restart worker", "minute": 5, "at": T0 + 298, "done": T0 + 303}]

    result = summarise(soak=events(*rows), faults=faults)

    slow = result["slow_buckets"]
    assert slow["at_s"] == [10, 100, 295, 320, 500]
    # 120 buckets, less the first 6 (30 s) and the 25 from the fault's bucket to 120 s after it.
    assert slow["without_fault"] == {"buckets": 89, "slow": 2, "slow_pct": 2.2}
    # The fault's own recovery is still read from its moment, by the same rule.
    assert result["faults"][0]["recovery_s"] == 25
    text = report.text(result)
    assert "from 30 s on: 2 of 89 (2.2 %)" in text
    assert "every slow bucket, seconds from the soak's start: 10, 100, 295, 320, 500" in text


def test_the_cpu_between_two_readings_is_counted_per_kind_of_process():
    before = {10: ("app nodes (gunicorn)", 5.0), 11: ("worker", 2.0), 12: ("worker", 1.0)}
    now = {10: ("app nodes (gunicorn)", 6.5), 11: ("worker", 2.25), 13: ("worker", 0.5)}

    # 12 ended (nothing more from it), 13 was born (counted from 0).
    assert report.cpu_spent(before, now) == {"app nodes (gunicorn)": 1.5, "worker": 0.75}


def test_the_cores_used_in_the_slow_buckets_are_set_beside_those_of_the_others():
    timeline = [[T0 + second, {"gunicorn": 1.0, "worker": 0.4}] for second in range(0, 40, 2)]
    # The bucket from 20 s: saturated, gunicorn taking the rest.
    for row in timeline:
        if 20 <= row[0] - T0 < 25:
            row[1] = {"gunicorn": 3.4, "worker": 0.4}

    cores = report.cores_when_slow(timeline, T0, T0 + 40, [20.0])

    assert cores["slow"] == {"all": 1.9, "gunicorn": 1.7, "worker": 0.2}
    assert cores["others"] == {"all": 0.7, "gunicorn": 0.5, "worker": 0.2}
    result = summarise(
        soak=events(*[request(second, "activity", 1500 if second == 21 else 100)
                      for second in range(40)]),
        end=T0 + 40,
        cpu_timeline=timeline,
    )  # fmt: skip
    assert result["slow_buckets"]["cores"]["slow"]["all"] == 1.9
    assert "cores used in the slow buckets: all 1.9, gunicorn 1.7, worker 0.2" in report.text(
        result
    )


def test_what_waited_for_the_task_workers_is_reported_with_its_peak_and_its_end():
    result = summarise(
        backlog={
            "samples": [[T0 + 15, 40, 2], [T0 + 315, 900, 3], [T0 + 585, 12, 1]],
            "at_end": [30, 1],
            "after_count": [0, 0],
        },
    )

    waiting = result["backlog"]
    assert (waiting["peak_events"], waiting["peak_minute"]) == (900, 5.2)
    assert waiting["at_end"] == [30, 1]
    assert "peak 900 events at minute 5.2; at the end 30 events, 1 jobs" in report.text(result)


def test_the_soak_runs_at_a_share_of_what_the_machine_sustains_beside_its_other_load():
    # Beside the boards, exports and lookups: its share, however much more the rate alone was.
    assert report.soak_rate(0.7, alone=18, beside=8, lowest=2) == 5.6
    # Without that step-up (SOAK_STEP_BESIDE=0, or a given rate): the rate alone.
    assert report.soak_rate(0.7, alone=18, beside=None, lowest=2) == 12.6
    # No step held beside the other load: a share of the lowest step, never a rate of 0.
    assert report.soak_rate(0.7, alone=18, beside=0, lowest=2) == 1.4


def test_both_step_ups_are_printed_and_kept_with_their_sustained_rates():
    step = {
        "rate": 4,
        "achieved": 3.98,
        "ok": True,
        "activity": {"p95_ms": 120.0, "errors": 0},
        "photo": {"p95_ms": 240.0, "errors": 0},
    }
    over = {**step, "rate": 6, "ok": False, "photo": {"p95_ms": 1400.0, "errors": 1}}
    result = summarise(
        steps=[step], sustainable=4, beside_steps=[{**step, "rate": 2}, over], beside=2, rate=1.4
    )

    assert (result["sustainable_per_s"], result["sustainable_beside_per_s"]) == (4, 2)
    assert [row["rate"] for row in result["step_up_beside"]] == [2, 6]
    text = report.text(result)
    assert "step-up, submissions alone" in text
    assert "step-up, submissions beside the other load" in text
    assert "6/s    3.98/s  p95 120.0 / 1400.0 ms  errors 1  over" in text
    assert "4/s alone, 2/s beside the boards, exports and lookups" in text
    # The target is the rate alone.
    assert result["targets"]["sustainable rate >= 10 submissions/s"] is False
