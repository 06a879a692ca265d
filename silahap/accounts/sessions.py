"""The session engine: Django's database sessions, the session read on every request compiled
once per connection (silahap/statements.py) instead of built and compiled each time.

The same table, rows and expiry as `django.contrib.sessions.backends.db`; only the read of a
session by its key is the compiled statement (it was ~0.2 ms of building and compiling on every
signed-in request, more than the query). Writes, `exists`, the async reads and the rest are
Django's own."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from silahap.statements import Statement

_SESSION = Statement(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).order_by()[:1],
    Session._meta.get_field("session_key"),
    Session._meta.get_field("expire_date"),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        # As Django's store: an unknown or expired key gives no session and drops the key.
        found = _SESSION.first(Session, Session.objects.db, self.session_key, timezone.now())
        if found is None:
            self._session_key = None
        return found
