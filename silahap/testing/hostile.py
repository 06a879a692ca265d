"""Hostile values for the input-bounds tests, and how a browser would send them."""

from __future__ import annotations

import urllib.parse

HOSTILE = {
    "oversized": "x" * 10_000,
    "long": "y" * 1_000,
    "non-numeric": "abc",
    "nan": "NaN",
    "infinity": "-Infinity",
    "negative": "-1",
    "huge": str(2**70),
    "unicode": "\u202e\u200f\ufeff\u0627\u0644\u0301\ud800\U0001f600<b>'\"%",
    "nul": "a\x00b",
}


MOST_QUERIES = 60


# CPU seconds of this thread for one request (the test client runs the view in it): a pathological
# input (a regex that backtracks, a loop over a huge value) shows here; a busy machine does not.
SLOWEST_SECONDS = 3.0


def quoted(value: str) -> str:
    """Percent-encoded as a browser would, a lone surrogate as the bytes it would be sent as."""
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="")


def encode(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{urllib.parse.quote(name)}={quoted(value)}" for name, value in pairs)
