"""The soak's arithmetic (make soak): the step-up's verdicts, percentiles per request type per
minute, errors inside and outside the fault windows, recovery after each fault, and the count of
acknowledged submissions against the database.

Standard library only: the load tool (.venv-soak, locust) and bin/soak (.venv) both import it.
The events file holds one JSON list per line:
    ["r", start, name, milliseconds, ok, detail]      a request
    ["m", time, "step" | "soak" | "end", rate]        a phase began (rate: submissions per second)
    ["s", time, client_id, activity_pk, photo_key, retries, resent, resend_same]
                                                      a submission acknowledged (activity and photo)
    ["u", time, client_id]                            a submission sent, never acknowledged
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# The two requests of one submission from the phone: the activity, then its photo.
SUBMIT = ("activity", "photo")
P95_LIMIT_MS = 1000.0
# A fault's window: from the moment it is injected, this long (the recovery bound).
FAULT_WINDOW_SECONDS = 30.0
RECOVERY_BUCKET_SECONDS = 5.0
RECOVERY_HORIZON_SECONDS = 120.0
# The soak's first seconds, when the leaders' boards all open at once, are not its background.
BACKGROUND_FROM_SECONDS = 30.0


def percentile(values: list[float], share: float) -> float:
    """Nearest rank, as the other benches report."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Events:
    requests: list[tuple[float, str, float, bool, str]] = field(default_factory=list)
    marks: list[tuple[float, str, float]] = field(default_factory=list)
    acked: list[dict] = field(default_factory=list)
    unacked: list[str] = field(default_factory=list)

    def add(self, row: list) -> None:
        kind = row[0]
        if kind == "r":
            self.requests.append((row[1], row[2], row[3], bool(row[4]), row[5]))
        elif kind == "m":
            self.marks.append((row[1], row[2], row[3]))
        elif kind == "s":
            keys = ("time", "client_id", "activity", "photo", "retries", "resent", "resend_same")
            self.acked.append(dict(zip(keys, row[1:], strict=True)))
        elif kind == "u":
            self.unacked.append(row[2])


def read_events(lines: Iterable[str]) -> Events:
    events = Events()
    for line in lines:
        if line.strip():
            events.add(json.loads(line))
    return events


def _stats(rows: list[tuple[float, str, float, bool, str]]) -> dict:
    times = [ms for _, _, ms, ok, _ in rows if ok]
    failed = sum(1 for row in rows if not row[3])
    return {
        "requests": len(rows),
        "errors": failed,
        "p50_ms": _ms(percentile(times, 0.50)),
        "p95_ms": _ms(percentile(times, 0.95)),
        "p99_ms": _ms(percentile(times, 0.99)),
    }


def _ms(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 1)


def step_verdict(events: Events, start: float, end: float, rate: float, warm: float) -> dict:
    """One step of the step-up: submissions' p95 (each of the two requests) under 1 s, no error,
    and the acknowledged rate within 10 % of the asked one, measured after `warm` seconds."""
    since = start + warm
    rows = [row for row in events.requests if since <= row[0] < end]
    kinds = {name: _stats([row for row in rows if row[1] == name]) for name in SUBMIT}
    acked = sum(1 for item in events.acked if since <= item["time"] < end)
    achieved = acked / max(end - since, 1e-9)
    p95s = [kinds[name]["p95_ms"] for name in SUBMIT]
    ok = (
        all(value is not None and value < P95_LIMIT_MS for value in p95s)
        and all(kinds[name]["errors"] == 0 for name in SUBMIT)
        and achieved >= 0.9 * rate
    )
    return {"rate": rate, "achieved": round(achieved, 2), "ok": ok, **kinds}


def step_results(events: Events, warm: float) -> list[dict]:
    """Each step runs until the next mark (or the last request)."""
    marks = sorted(events.marks)
    last = _last_time(events)
    results = []
    for index, (start, kind, rate) in enumerate(marks):
        if kind == "step":
            end = marks[index + 1][0] if index + 1 < len(marks) else last
            results.append(step_verdict(events, start, end, rate, warm))
    return results


def _last_time(events: Events) -> float:
    return max((row[0] + row[2] / 1000 for row in events.requests), default=0.0)


def sustainable_rate(steps: list[dict]) -> float:
    """The highest rate whose step and every step below it passed (0 when the first failed)."""
    best = 0.0
    for step in sorted(steps, key=lambda item: item["rate"]):
        if not step["ok"]:
            break
        best = step["rate"]
    return best


def soak_rate(share: float, *, alone: float, beside: float | None, lowest: float) -> float:
    """The soak's submission rate: `share` of what the machine sustained beside the boards,
    exports and lookups the soak also runs (when that step-up ran), else of the rate sustained
    alone. Soaking at a share of the rate alone, with that other load added, asks more than the
    machine does in all, and a run saturated from its first minute shows no drift and no
    recovery. When no step held, a share of the lowest step."""
    base = beside if beside is not None else alone
    return round(share * (base or lowest), 2)


def per_minute(events: Events, start: float, end: float) -> dict[str, list[dict]]:
    """Each request type's count, errors and p50/p95/p99, minute by minute from `start`."""
    by_name: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for row in events.requests:
        if start <= row[0] < end:
            by_name[row[1]][int((row[0] - start) // 60) + 1].append(row)
    return {
        name: [{"minute": minute, **_stats(rows)} for minute, rows in sorted(minutes.items())]
        for name, minutes in sorted(by_name.items())
    }


def in_windows(start: float, end: float, faults: list[dict]) -> bool:
    """Whether a request overlaps a fault's window: one under way when the fault struck is
    its casualty too, though it started a moment before."""
    return any(
        start < fault["at"] + FAULT_WINDOW_SECONDS and end >= fault["at"] for fault in faults
    )


def errors_by_window(events: Events, faults: list[dict], start: float, end: float) -> dict:
    inside = {"requests": 0, "errors": 0}
    outside = {"requests": 0, "errors": 0}
    examples: dict[str, int] = defaultdict(int)
    for moment, name, ms, ok, detail in events.requests:
        if not start <= moment < end:
            continue
        side = inside if in_windows(moment, moment + ms / 1000, faults) else outside
        side["requests"] += 1
        if not ok:
            side["errors"] += 1
            where = "inside" if side is inside else "outside"
            examples[f"{where}: {name}: {detail}"[:160]] += 1
    for side in (inside, outside):
        side["error_rate_pct"] = round(100 * side["errors"] / max(side["requests"], 1), 3)
    return {"inside": inside, "outside": outside, "errors": dict(examples)}


def _slow(rows: list) -> bool:
    """A 5-s bucket the run is not well in: a request failed, or submissions' p95 >= 1 s."""
    times = [row[2] for row in rows if row[1] in SUBMIT and row[3]]
    failed = any(not row[3] for row in rows)
    return failed or bool(times and percentile(times, 0.95) >= P95_LIMIT_MS)


def _buckets(events: Events, start: float, end: float) -> dict[int, list]:
    buckets: dict[int, list] = defaultdict(list)
    for row in events.requests:
        if start <= row[0] < end:
            buckets[int((row[0] - start) // RECOVERY_BUCKET_SECONDS)].append(row)
    return buckets


def recovery_seconds(events: Events, at: float) -> float | None:
    """Seconds from a fault until the run is well again and stays so: the end of the last
    5-s bucket (within 120 s) with a failed request or submissions' p95 at or over 1 s.
    None when it never came back within 120 s."""
    buckets = _buckets(events, at, at + RECOVERY_HORIZON_SECONDS)
    last_bad = max((index for index, rows in buckets.items() if _slow(rows)), default=-1)
    if last_bad < 0:
        return 0.0
    if (last_bad + 1) * RECOVERY_BUCKET_SECONDS >= RECOVERY_HORIZON_SECONDS:
        return None
    return (last_bad + 1) * RECOVERY_BUCKET_SECONDS


def slow_buckets(events: Events, start: float, end: float, faults: list[dict]) -> dict:
    """The soak's 5-s buckets by the recovery's own rule, to read each fault's recovery
    against: those no fault came within 120 s before (the first BACKGROUND_FROM_SECONDS left
    out: the leaders' boards all open then), how many of them were slow, and where every slow
    bucket began. On a machine near its limit such buckets come without any fault, and one of
    them within 120 s after a fault sets that fault's recovery."""
    buckets = _buckets(events, start, end)
    slow_at = sorted(index for index, rows in buckets.items() if _slow(rows))
    quiet = slow = 0
    for index in buckets:
        moment = start + index * RECOVERY_BUCKET_SECONDS
        near = any(
            fault["at"] - RECOVERY_BUCKET_SECONDS < moment < fault["at"] + RECOVERY_HORIZON_SECONDS
            for fault in faults
        )
        if near or moment - start < BACKGROUND_FROM_SECONDS:
            continue
        quiet += 1
        slow += index in slow_at
    return {
        "at_s": [index * RECOVERY_BUCKET_SECONDS for index in slow_at],
        "without_fault": {
            "buckets": quiet,
            "slow": slow,
            "slow_pct": round(100 * slow / quiet, 1) if quiet else None,
        },
    }


def cpu_spent(
    before: dict[int, tuple[str, float]], now: dict[int, tuple[str, float]]
) -> dict[str, float]:
    """CPU seconds each kind of process used between two readings of every process ({pid:
    (kind, seconds so far)}): a process first seen in `now` counts from 0, one gone from it
    counts nothing more."""
    spent: dict[str, float] = defaultdict(float)
    for pid, (kind, seconds) in now.items():
        earlier = before.get(pid)
        spent[kind] += seconds - (earlier[1] if earlier else 0.0)
    return {kind: round(value, 2) for kind, value in sorted(spent.items()) if value > 0}


def cores_when_slow(timeline: list, start: float, end: float, slow_at: list[float]) -> dict:
    """Cores each kind of process used in the slow 5-s buckets and in the others (a sample
    taken at t covers the CPU since the one before, about CPU_SAMPLE_SECONDS, and counts for
    the bucket t falls in): whether the slow moments are the machine saturated, and by what."""
    slow = {int(at // RECOVERY_BUCKET_SECONDS) for at in slow_at}
    spent: dict[str, dict[str, float]] = {"slow": defaultdict(float), "others": defaultdict(float)}
    seconds = {"slow": 0.0, "others": 0.0}
    previous = None
    for moment, used in timeline:
        if previous is not None and start <= moment < end:
            side = "slow" if int((moment - start) // RECOVERY_BUCKET_SECONDS) in slow else "others"
            seconds[side] += moment - previous
            for kind, value in used.items():
                spent[side][kind] += value
                spent[side]["all"] += value
        previous = moment
    return {
        side: {
            kind: round(value / seconds[side], 2)
            for kind, value in sorted(spent[side].items(), key=lambda item: -item[1])
            if round(value / seconds[side], 2) > 0
        }
        if seconds[side]
        else {}
        for side in ("slow", "others")
    }


def drift(
    minutes: dict[str, list[dict]], first: int = 2, last: int = 10
) -> dict[str, float | None]:
    """p99 of minute `last` over p99 of minute `first`, per request type (target ≤ 1.5)."""
    ratios: dict[str, float | None] = {}
    for name, rows in minutes.items():
        p99 = {row["minute"]: row["p99_ms"] for row in rows}
        if p99.get(first) and p99.get(last) is not None:
            ratios[name] = round(p99[last] / p99[first], 2)
        else:
            ratios[name] = None
    return ratios


def count_check(events: Events, database: dict[str, dict]) -> dict:
    """Each acknowledged submission against the database (`database` maps client_id to the rows
    found: {"activities": n, "activity": pk, "photos": n}): present exactly once, its photo too,
    and a resend after the answer (as the outbox does) answered with the same record."""
    acked = {item["client_id"]: item for item in events.acked}
    once = missing = doubled = photo_once = photo_wrong = moved = 0
    for client_id, item in acked.items():
        found = database.get(client_id, {"activities": 0, "photos": 0})
        if found["activities"] == 0:
            missing += 1
        elif found["activities"] > 1:
            doubled += 1
        else:
            once += 1
            moved += found.get("activity") != item["activity"]
        if found.get("photos") == 1:
            photo_once += 1
        else:
            photo_wrong += 1
    resent = [item for item in acked.values() if item["resent"]]
    unexpected = sorted(set(database) - set(acked) - set(events.unacked))
    return {
        "acknowledged": len(acked),
        "present_once": once,
        "missing": missing,
        "doubled": doubled,
        "other_record": moved,
        "photo_once": photo_once,
        "photo_not_once": photo_wrong,
        "present_once_pct": round(100 * once / max(len(acked), 1), 3),
        "resent_after_ack": len(resent),
        "resent_same_record": sum(1 for item in resent if item["resend_same"]),
        "sent_never_acknowledged": len(events.unacked),
        "of_those_in_database": sum(1 for key in events.unacked if key in database),
        "rows_of_no_submission": len(unexpected),
        "retried_before_answer": sum(1 for item in acked.values() if item["retries"] > 0),
    }


def success(events: Events, start: float, end: float) -> dict[str, dict]:
    """Requests and the share answered as they should, per type and for all of them."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for moment, name, _, ok, _ in events.requests:
        if start <= moment < end:
            for key in (name, "all"):
                counts[key][0] += 1
                counts[key][1] += ok
    return {
        name: {"requests": total, "success_pct": round(100 * good / max(total, 1), 3)}
        for name, (total, good) in sorted(counts.items())
    }


def summary(
    *,
    tag: str,
    steps: list[dict],
    sustainable: float,
    rate: float,
    beside_steps: list[dict] | None = None,
    beside: float | None = None,
    soak: Events,
    start: float,
    end: float,
    minutes: dict[str, list[dict]],
    faults: list[dict],
    counted: dict,
    loads: list[list[float]],
    settings: dict,
    cores: dict[str, dict[str, float]] | None = None,
    backlog: dict | None = None,
    cpu_timeline: list | None = None,
) -> dict:
    """Everything make soak prints and writes to var/bench/soak.json, with the issue's targets."""
    last = max(1, int((end - start) // 60))
    first = min(2, last)
    ratios = drift(minutes, first=first, last=last)
    for fault in faults:
        fault["recovery_s"] = recovery_seconds(soak, fault["at"])
    windows = errors_by_window(soak, faults, start, end)
    slow = slow_buckets(soak, start, end, faults)
    slow["cores"] = cores_when_slow(cpu_timeline or [], start, end, slow["at_s"])
    acked = sum(1 for item in soak.acked if start <= item["time"] < end)
    submit_drift = [ratios.get(name) for name in SUBMIT]
    targets = {
        "acknowledged present exactly once = 100 %": counted["present_once_pct"] == 100
        and counted["photo_not_once"] == 0
        and counted["rows_of_no_submission"] == 0,
        "error rate outside the fault windows = 0 %": windows["outside"]["errors"] == 0,
        f"submissions' p99 minute {last} <= 1.5 x minute {first}": all(
            value is not None and value <= 1.5 for value in submit_drift
        ),
        "recovered within 30 s after each fault": all(
            fault["recovery_s"] is not None and fault["recovery_s"] <= FAULT_WINDOW_SECONDS
            for fault in faults
        ),
        "sustainable rate >= 10 submissions/s": sustainable >= 10,
    }
    return {
        "tag": tag,
        "settings": settings,
        "step_up": steps,
        "sustainable_per_s": sustainable,
        "step_up_beside": beside_steps or [],
        "sustainable_beside_per_s": beside,
        "soak_rate_per_s": rate,
        "soak_seconds": round(end - start, 1),
        "soak_acknowledged_per_s": round(acked / max(end - start, 1e-9), 2),
        "success": success(soak, start, end),
        "per_minute": minutes,
        "p99_drift": {"first_minute": first, "last_minute": last, "ratio": ratios},
        "faults": faults,
        "windows": windows,
        "slow_buckets": slow,
        "count": counted,
        "load_average": loads,
        "backlog": _backlog(backlog or {}, start),
        "cores_used": cores or {},
        "targets": targets,
    }


def _backlog(found: dict, start: float) -> dict:
    """What waited for the task workers during the soak (events not yet dispatched, jobs
    queued; sampled every 15 s): the peak and when, and what was left at the end."""
    samples = found.get("samples") or []
    peak = max(samples, key=lambda row: row[1], default=None)
    return {
        "samples": samples,
        "peak_events": peak[1] if peak else None,
        "peak_minute": round((peak[0] - start) / 60, 1) if peak else None,
        "at_end": found.get("at_end"),
        "after_count": found.get("after_count"),
    }


def text(result: dict) -> str:
    """The summary make soak prints."""
    out = [f"== make soak {result['tag']} =="]
    beside = result.get("sustainable_beside_per_s")
    for key, name in (("step_up", "alone"), ("step_up_beside", "beside the other load")):
        if not result.get(key):
            continue
        out.append(f"step-up, submissions {name} (activity and photo p95, acknowledged rate):")
        for step in result[key]:
            out.append(
                f"  {step['rate']:>5g}/s  {step['achieved']:>6g}/s  "
                f"p95 {step['activity']['p95_ms']} / {step['photo']['p95_ms']} ms  "
                f"errors {step['activity']['errors'] + step['photo']['errors']}  "
                + ("ok" if step["ok"] else "over")
            )
    out.append(
        f"sustainable submission rate (an activity with a photo each, p95 < 1 s): "
        f"{result['sustainable_per_s']:g}/s alone"
        + ("" if beside is None else f", {beside:g}/s beside the boards, exports and lookups")
    )
    out.append(
        f"soak: {result['soak_seconds']:g} s at {result['soak_rate_per_s']:g}/s asked, "
        f"{result['soak_acknowledged_per_s']:g}/s acknowledged"
    )
    out.append("success rate:")
    for name, row in result["success"].items():
        out.append(f"  {name:<20} {row['requests']:>7} requests  {row['success_pct']:g} %")
    out.append("per minute: requests, errors, p50 / p95 / p99 ms")
    for name, rows in result["per_minute"].items():
        out.append(f"  {name}")
        for row in rows:
            out.append(
                f"    min {row['minute']:>2}  {row['requests']:>6}  {row['errors']:>4}  "
                f"{row['p50_ms']} / {row['p95_ms']} / {row['p99_ms']}"
            )
    drift_row = result["p99_drift"]
    out.append(
        f"p99 minute {drift_row['last_minute']} / minute {drift_row['first_minute']}: "
        + ", ".join(f"{name} {value}" for name, value in drift_row["ratio"].items())
    )
    out.append("faults (recovery: until no error and submissions' p95 < 1 s, 5-s buckets):")
    for fault in result["faults"]:
        recovery = fault["recovery_s"]
        out.append(
            f"  minute {fault['minute']:g}: {fault['fault']}: action took "
            f"{fault['done'] - fault['at']:.1f} s, recovered after "
            + ("more than 120 s" if recovery is None else f"{recovery:g} s")
        )
    slow = result.get("slow_buckets")
    if slow:
        background = slow["without_fault"]
        out.append(
            f"  slow 5-s buckets (an error, or submissions' p95 >= 1 s) with no fault in the "
            f"120 s before them, from {BACKGROUND_FROM_SECONDS:g} s on: {background['slow']} of "
            f"{background['buckets']}"
            + ("" if background["slow_pct"] is None else f" ({background['slow_pct']:g} %)")
        )
        out.append(
            "  every slow bucket, seconds from the soak's start: "
            + (", ".join(f"{at:g}" for at in slow["at_s"]) or "none")
        )
        for side, used in (slow.get("cores") or {}).items():
            if used:
                busy = ", ".join(f"{kind} {value:g}" for kind, value in used.items())
                out.append(
                    f"  cores used in the {'slow' if side == 'slow' else 'other'} buckets: {busy}"
                )
    windows = result["windows"]
    for side in ("inside", "outside"):
        row = windows[side]
        out.append(
            f"errors {side} the fault windows: {row['errors']} of {row['requests']} "
            f"({row['error_rate_pct']:g} %)"
        )
    for detail, count in sorted(windows["errors"].items(), key=lambda item: -item[1])[:12]:
        out.append(f"    {count:>5} x {detail}")
    count = result["count"]
    out.append(
        f"acknowledged submissions: {count['acknowledged']}; present exactly once "
        f"{count['present_once']} ({count['present_once_pct']:g} %), missing {count['missing']}, "
        f"doubled {count['doubled']}, other record {count['other_record']}; photo exactly once "
        f"{count['photo_once']}, not {count['photo_not_once']}"
    )
    out.append(
        f"  resent after the answer: {count['resent_after_ack']}, same record "
        f"{count['resent_same_record']}; retried before an answer: "
        f"{count['retried_before_answer']}; "
        f"never acknowledged {count['sent_never_acknowledged']} (in the database "
        f"{count['of_those_in_database']}); rows of no submission {count['rows_of_no_submission']}"
    )
    if result["load_average"]:
        peak = max(row[1] for row in result["load_average"])
        mean = sum(row[1] for row in result["load_average"]) / len(result["load_average"])
        out.append(f"load average (1 min) during the soak: mean {mean:.2f}, peak {peak:.2f}")
    waiting = result.get("backlog") or {}
    if waiting.get("samples") or waiting.get("at_end"):
        end, later = waiting.get("at_end"), waiting.get("after_count")
        out.append(
            f"waiting for the task workers (events not yet dispatched, jobs queued): peak "
            f"{waiting.get('peak_events')} events at minute {waiting.get('peak_minute')}; at the "
            f"end {end[0] if end else '?'} events, {end[1] if end else '?'} jobs; after the count "
            f"{later[0] if later else '?'} events, {later[1] if later else '?'} jobs"
        )
    for phase, used in result.get("cores_used", {}).items():
        if used:
            busy = ", ".join(f"{name} {value:g}" for name, value in used.items())
            out.append(f"cores used during the {phase.replace('_', '-')}: {busy}")
    out.append("targets:")
    for name, met in result["targets"].items():
        out.append(f"  [{'met' if met else 'NOT met'}] {name}")
    return "\n".join(out)
