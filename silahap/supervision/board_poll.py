"""The live board's poll answered "nothing new" (304 Not Modified) without reading the board.

A full answer carries a label (its ETag): a digest of what it depended on (the change tokens
of the leader's units from `silahap.changes`, read before the board was; the leader's own
memberships; the cursor; the language and time zone of its text) and the moment it expires, the
first moment the same data would answer differently: an officer's deadline passing ("not yet"
becomes "missing"), a midnight in any office's zone (a new day's reports, absences and
memberships), and at the latest REFRESH_SECONDS after it was made, which bounds how long a
change made outside the recorded writes (the Django admin, a token renewal lost to a cache
failure) can stay unseen. The page sends the label back (If-None-Match); while it still matches
and has not expired, the answer is 304.

The officers' states are the same for every leader of the same units: the first full answer
after a change keeps them in the cache under the units' tokens until their time-driven change,
and the other leaders' full answers take them from there.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import re
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from silahap.accounts import access
from silahap.accounts.models import OrgUnit
from silahap.supervision import queries
from silahap.supervision.queries import OfficerDay

REFRESH_SECONDS = 120
# The shape of the answer: change it when the feed's JSON or rows change, so a page open across
# a deployment gets the new shape.
FORMAT = "board-feed-1"
LABEL = re.compile(r'^W/"(\d{1,12})\.([0-9a-f]{32})"$')


def _digest(request, *, tokens: dict[str, str], cursor: int, expires: int) -> str:
    memberships = sorted(
        (m.pk, m.role, m.unit_id, m.unit.path, m.is_acting)
        for m in access.current_memberships(request.user)
    )
    material = json.dumps(
        [
            FORMAT,
            request.user.pk,
            memberships,
            cursor,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            sorted(tokens.items()),
            expires,
        ]
    )
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def label(request, *, tokens: dict[str, str], cursor: int, expires: datetime.datetime) -> str:
    """The ETag of a full answer that read the board after `tokens` and ended at `cursor`."""
    moment = int(expires.timestamp())
    return f'W/"{moment}.{_digest(request, tokens=tokens, cursor=cursor, expires=moment)}"'


def unchanged(
    request, *, tokens: dict[str, str], cursor: int, now: datetime.datetime
) -> str | None:
    """The label the page sent back (If-None-Match) if it still describes the board: the same
    tokens, memberships, cursor, language and zone, and not expired. None means answer in full."""
    sent = request.headers.get("If-None-Match", "")
    for candidate in sent.split(",")[:4]:
        found = LABEL.match(candidate.strip())
        if found is None or int(found[1]) <= now.timestamp():
            continue
        expected = _digest(request, tokens=tokens, cursor=cursor, expires=int(found[1]))
        if hmac.compare_digest(found[2], expected):
            return candidate.strip()
    return None


def _zones() -> set[str]:
    return {zone.value for zone in OrgUnit.TimeZone} | {
        settings.TIME_ZONE,
        timezone.get_current_timezone_name(),
    }


def next_change(officers: Iterable[OfficerDay], now: datetime.datetime) -> datetime.datetime:
    """The first moment the board's answer changes with no write: a deadline, a midnight, or
    REFRESH_SECONDS from now."""
    moments = [now + datetime.timedelta(seconds=REFRESH_SECONDS)]
    for name in _zones():
        local = now.astimezone(zoneinfo.ZoneInfo(name))
        moments.append(
            datetime.datetime.combine(
                local.date() + datetime.timedelta(days=1), datetime.time(0), tzinfo=local.tzinfo
            )
        )
    moments += [
        row.deadline
        for row in officers
        if row.state == "not_yet" and row.deadline is not None and row.deadline > now
    ]
    # Whole seconds, rounded down (earlier is safe): the label carries whole seconds.
    return datetime.datetime.fromtimestamp(int(min(moments).timestamp()), tz=datetime.UTC)


def officer_state(row: OfficerDay) -> dict:
    """An officer's row of the board as data for its poll: the badges the page shows."""
    badges = []
    state = row.state
    if state == "filed":
        report = row.report
        assert report is not None  # "filed" is a report with a first submission
        badges.append({"text": report.get_status_display(), "class": report.status})
        if report.is_late:
            badges.append({"text": _("late"), "class": "late"})
    elif state == "absent":
        absence = row.absence
        assert absence is not None  # "absent" is an absence covering the day
        badges.append({"text": absence.get_kind_display(), "class": ""})
    elif state == "missing":
        badges.append({"text": _("missing"), "class": "late"})
    else:
        badges.append({"text": _("not yet"), "class": "draft"})
    return {"state": state, "badges": badges, "activities": row.activity_count}


def officer_states(
    units: list[OrgUnit], *, tokens: dict[str, str] | None, now: datetime.datetime
) -> tuple[dict[str, dict], datetime.datetime]:
    """Each officer's state in the units, by username, and the moment they change with no write;
    shared through the cache by the leaders of the same units while their tokens hold."""
    key = None
    if tokens is not None:
        material = json.dumps(
            [
                FORMAT,
                sorted(unit.path for unit in units),
                sorted(tokens.items()),
                translation.get_language(),
                timezone.get_current_timezone_name(),
            ]
        )
        key = "board-officers:" + hashlib.sha256(material.encode()).hexdigest()[:32]
        kept = cache.get(key)
        if kept is not None and kept["expires"] > now.timestamp():
            expires = datetime.datetime.fromtimestamp(kept["expires"], tz=datetime.UTC)
            return kept["officers"], expires
    rows = queries.officers_today(units)
    states = {row.officer.username: officer_state(row) for row in rows}
    expires = next_change(rows, now)
    if key is not None:
        seconds = max(1, int((expires - now).total_seconds()))
        cache.set(key, {"officers": states, "expires": int(expires.timestamp())}, seconds)
    return states, expires
