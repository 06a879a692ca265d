"""Heavy reads from a PostgreSQL read replica (SILAHAP_REPLICA_DATABASE_URL), never anything that
must be current.

Only GET requests to the heavy pages (SILAHAP_REPLICA_PATHS: insights, their exports, the
national operations pages) read from the replica, and only their reports' and registry's rows:
access checks (accounts: units, memberships, users), sessions, the audit trail, login throttling,
the second factor and the task queue always read the primary. A person who has just written
(any POST, PUT, PATCH or DELETE) is pinned to the primary for SILAHAP_REPLICA_PIN_SECONDS by a
cookie, so the page after a submit shows the submit. A replica that does not answer, or lags
more than SILAHAP_REPLICA_MAX_LAG_SECONDS, is left alone (the primary answers) and is named in
/readyz.
"""

from __future__ import annotations

import contextvars
import logging
import time
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.utils import DatabaseError

logger = logging.getLogger("silahap.replica")

REPLICA = "replica"
PIN_COOKIE = "silahap_primary"
# Apps whose rows decide who may see what, or must be current: always the primary.
PRIMARY_ONLY_APPS = frozenset(
    {
        "accounts",
        "auth",
        "sessions",
        "contenttypes",
        "admin",
        "audit",
        "axes",
        "otp_totp",
        "otp_static",
        "django_otp",
        "django_tasks_database",
        "events",
    }
)
HEALTH_SECONDS = 5.0

_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "silahap_reading_replica", default=False
)
# The replica error a view raised in this request (noted by process_exception), or "".
_replica_failed: contextvars.ContextVar[str] = contextvars.ContextVar(
    "silahap_replica_failed", default=""
)
_health: dict[str, Any] = {"checked": 0.0, "usable": False, "state": "not checked"}


def configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_state(*, force: bool = False) -> tuple[bool, str]:
    """(usable, description) of the replica, checked at most every few seconds per process."""
    now = time.monotonic()
    if not force and now - float(_health["checked"]) < HEALTH_SECONDS:
        return bool(_health["usable"]), str(_health["state"])
    usable, state = False, "down"
    try:
        with connections[REPLICA].cursor() as cursor:
            if connections[REPLICA].vendor == "postgresql":
                # Caught up (all it received is replayed): no lag, however long the primary has
                # been idle; otherwise the age of the last transaction it replayed.
                cursor.execute(
                    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 "
                    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) "
                    "END"
                )
                lag = float(cursor.fetchone()[0])
            else:
                cursor.execute("SELECT 1")
                lag = 0.0
        usable = lag <= settings.SILAHAP_REPLICA_MAX_LAG_SECONDS
        state = f"ok (lag {lag:.1f}s)" if usable else f"lagging ({lag:.0f}s)"
    except DatabaseError as error:
        state = f"down ({type(error).__name__})"
        connections[REPLICA].close()
        logger.warning("replica unavailable (%s); reading the primary", type(error).__name__)
    _health.update(checked=now, usable=usable, state=state)
    return usable, state


def mark_down(reason: str) -> None:
    _health.update(checked=time.monotonic(), usable=False, state=f"down ({reason})")


class ReplicaRouter:
    """Reads go to the replica only inside a heavy page's request (see the middleware)."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: same rows, same ids

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Decides per request whether its heavy reads may use the replica, and pins a writer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _wants_replica(self, request) -> bool:
        if not configured() or request.method not in ("GET", "HEAD"):
            return False
        if request.COOKIES.get(PIN_COOKIE):
            return False  # just wrote: read your own writes on the primary
        if not request.path.startswith(tuple(settings.SILAHAP_REPLICA_PATHS)):
            return False
        return replica_state()[0]

    def __call__(self, request):
        token = _reading_replica.set(self._wants_replica(request))
        failed = _replica_failed.set("")
        try:
            try:
                response = self.get_response(request)
            except DatabaseError as error:
                if not _reading_replica.get():
                    raise
                _replica_failed.set(type(error).__name__)
            if _replica_failed.get():
                # The replica failed mid-request (it went down since the last health check):
                # once more, all on the primary; the 500 made of its error is not sent.
                mark_down(_replica_failed.get())
                connections[REPLICA].close()
                _reading_replica.set(False)
                response = self.get_response(request)
        finally:
            _reading_replica.reset(token)
            _replica_failed.reset(failed)
        if configured() and request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.SILAHAP_REPLICA_PIN_SECONDS,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        """Django turns a view's exception into a 500 response before it reaches __call__ (a
        restarted replica's "not yet accepting connections" reached the exporter as a 500, make
        soak): note a replica's error here so that __call__ answers again from the primary."""
        if isinstance(exception, DatabaseError) and _reading_replica.get():
            _replica_failed.set(type(exception).__name__)
        # Nothing returned: Django goes on to its 500 response, which __call__ then drops.
