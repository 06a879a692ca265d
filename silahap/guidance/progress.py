"""Played ranges: merge what the player reports into distinct seconds actually watched."""

from __future__ import annotations

Range = tuple[float, float]


def merge(ranges: list[Range], *, duration: float) -> list[Range]:
    """Sorted, non-overlapping ranges within [0, duration]; touching ranges join."""
    clamped = sorted(
        (max(0.0, float(start)), min(duration, float(end)))
        for start, end in ranges
        if float(end) > float(start)
    )
    merged: list[list[float]] = []
    for start, end in clamped:
        if end <= start:
            continue
        if merged and start <= merged[-1][1] + 0.5:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(round(start, 2), round(end, 2)) for start, end in merged]


def covered(ranges: list[Range]) -> float:
    return round(sum(end - start for start, end in ranges), 2)
