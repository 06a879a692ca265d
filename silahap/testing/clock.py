"""The suite's clock: where a run that could cross midnight in Jakarta moves it (conftest.py).

Many tests build "today's" work as "an hour ago" and open it as today's report. In the first
hours after midnight in Jakarta an hour ago is yesterday there, so a run that starts in that
window (17:00 to 23:00 UTC) moves the process's clock, ticking, to 10:00 of the same Jakarta day;
a run that starts late in the evening (from 21:00 in Jakarta, 14:00 UTC) could cross midnight (a
whole suite takes up to half an hour on a slow day, and CI runs it twice), so it moves to 10:00 of
the next day. The live server's threads move with it; the browser's clock, the database's now()
and other processes do not: the clock only moves forward, and by less than a day, so cookies the
server dates stay valid for the browser, and a row the database stamps is never a day older than
one Python stamps.
"""

from __future__ import annotations

import datetime
import zoneinfo

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def daytime_in_jakarta(here: datetime.datetime) -> datetime.datetime | None:
    """Where a run starting at `here` moves its clock, or None to keep it."""
    here = here.astimezone(JAKARTA)
    if 6 <= here.hour < 21:
        return None
    day = here.date() + datetime.timedelta(days=1 if here.hour >= 21 else 0)
    return datetime.datetime.combine(day, datetime.time(10), JAKARTA)
