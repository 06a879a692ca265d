"""A change token per org unit in the shared cache, so a page that polls can be told "nothing new"
without reading the database (the live board: supervision's `board_feed`).

A commit that changes a unit's data gives that unit, and every unit above it, a new random token
(`unit_changed`, run after the commit: the event spine does it for every event recorded about a
unit; writes that record none call it themselves). A poll reads its units' tokens first and the
database after, so the tokens it sends back with its answer are never newer than what it read:
a change committed after the read renews a token after the read, and the next poll differs.

Only a cache every process shares (Redis) holds tokens. A process's own memory would miss the
writes of the other processes (gunicorn's workers, the task worker) and answer "nothing new"
wrongly, so without Redis, and while Redis is down, `tokens()` is None and the page answers in
full. A token that was lost (Redis restarted or dropped it) comes back as a new random value,
never one an earlier answer could carry.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from functools import partial

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction

PREFIX = "unit-changed:"
# A token nobody renews for a week is dropped; the next poll makes a new one (and answers in full).
TOKEN_SECONDS = 7 * 24 * 3600


def enabled() -> bool:
    """Whether tokens are kept: only in a cache all processes share."""
    return isinstance(caches["default"], RedisCache)


def _with_ancestors(path: str) -> list[str]:
    # "/1/4/9/" → "/1/", "/1/4/", "/1/4/9/": a leader of a unit above sees the change too.
    parts = [part for part in path.strip("/").split("/") if part]
    return ["/" + "/".join(parts[: depth + 1]) + "/" for depth in range(len(parts))]


def _token() -> str:
    return secrets.token_hex(8)


def unit_changed(*paths: str) -> None:
    """Renew the tokens of the units at `paths` and of every unit above them once the current
    transaction commits (at once outside one); a rollback renews nothing."""
    if not enabled():
        return
    wanted = sorted({ancestor for path in paths if path for ancestor in _with_ancestors(path)})
    if wanted:
        # robust: a cache that fails must not turn a committed write into an error.
        transaction.on_commit(partial(_renew, wanted), robust=True)


def _renew(paths: list[str]) -> None:
    caches["default"].set_many({PREFIX + path: _token() for path in paths}, TOKEN_SECONDS)


def tokens(paths: Iterable[str]) -> dict[str, str] | None:
    """The current token of each unit path, or None when they cannot be known (no shared cache,
    or it is down): then the caller answers in full."""
    if not enabled():
        return None
    cache = caches["default"]
    keys = [PREFIX + path for path in paths]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _token(), TOKEN_SECONDS)  # another process may have made it meanwhile
        found = cache.get_many(keys)
        if any(key not in found for key in keys):
            return None  # a cache that is down answers nothing, and nothing is known
    return {key.removeprefix(PREFIX): found[key] for key in keys}
