"""`manage.py bench_audit`: audited writes by one client, then by eight at once (#21).

Each client is its own process (threads would share one interpreter lock) with its own database
connection, signed in as its own officer of a bench office, posting the officer's activity form
(`POST /reports/activities/new/`: an activity, its audit event, its spine event) as fast as it
is answered. Rounds alternate one client and eight, so a busy machine slows both alike. Clients
must commit to contend, so this runs in a throwaway PostgreSQL database made from the
migrations and dropped at the end; the trail it leaves is sealed and verified before that.

The form is mostly Python, so with the cores taken by other work (Linux gives a session's
processes one share together) eight form clients cannot go faster than one whatever the locks.
A second figure isolates what a lock would serialise: each client runs transactions that record
an audit event and then hold the transaction open --hold-ms (pg_sleep: the rest of a service's
statements and its commit, costing no CPU here). One lock for every writer would make eight
such clients no faster than one; without it they overlap.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.test import Client, override_settings
from django.utils import timezone

from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.audit.models import AuditEvent
from silahap.reports.management.commands.bench_submit import FORM_ENCODED, _form, _officer

FORM_URL = "/reports/activities/new/"


@override_settings(DEBUG=False)
def _client(officer_pk: int, seconds: float, start: Any, results: Any) -> None:
    """One client: sign in, warm up, wait for the others, then submit until time is up."""
    connections.close_all()  # never the parent's sockets
    client = Client()
    client.force_login(User.objects.get(pk=officer_pk))
    for _ in range(3):
        client.post(FORM_URL, urlencode(_form(timezone.now())), content_type=FORM_ENCODED)
    start.wait()
    done, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        response = client.post(
            FORM_URL, urlencode(_form(timezone.now())), content_type=FORM_ENCODED
        )
        if response.status_code != 302:
            results.put(("error", response.status_code))
            return
        # "Activity saved" is shown, and so dropped, by the officer's next page; unread, the
        # messages cookie would grow by one each submit.
        client.cookies.pop("messages", None)
        done += 1
    results.put(("ok", done, time.perf_counter() - began))
    connections.close_all()


def _transactions(officer_pk: int, seconds: float, start: Any, results: Any, hold: float) -> None:
    """One client of audited transactions that stay open `hold` seconds after the event."""
    connections.close_all()
    officer = User.objects.get(pk=officer_pk)
    start.wait()
    done, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        with transaction.atomic():
            audit.record(action="bench.transaction", actor=officer, object_id=done)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(%s)", [hold])
        done += 1
    results.put(("ok", done, time.perf_counter() - began))
    connections.close_all()


def _run(officers: list[int], seconds: float, hold: float | None = None) -> float:
    """Submits per second of all the officers' clients together."""
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(len(officers)), context.Queue()
    connections.close_all()
    workers = [
        context.Process(target=_client, args=(pk, seconds, start, results))
        if hold is None
        else context.Process(target=_transactions, args=(pk, seconds, start, results, hold))
        for pk in officers
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=seconds + 120) for _ in workers]
    for worker in workers:
        worker.join()
    errors = [outcome for outcome in outcomes if outcome[0] != "ok"]
    if errors:
        raise CommandError(f"a client's submit was refused: {errors}")
    return sum(done / elapsed for _, done, elapsed in outcomes)


class Command(BaseCommand):
    help = "Audited submit rate of 1 client next to 8 concurrent clients (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=8)
        parser.add_argument("--seconds", type=float, default=8.0, help="per round and side")
        parser.add_argument("--rounds", type=int, default=2)
        parser.add_argument("--hold-ms", type=float, default=20.0)

    def handle(self, *args, clients, seconds, rounds, hold_ms, **options):
        if connection.vendor != "postgresql":
            # make bench goes on: SQLite lets one writer in at a time whatever the code does.
            self.stdout.write("bench_audit: skipped, it needs PostgreSQL (DATABASE_URL)")
            return
        configured = settings.DATABASES["default"]["NAME"]
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"{configured}_bench_audit"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            result = self._measure(clients, seconds, rounds, hold_ms / 1000)
        finally:
            connections.close_all()
            connection.creation.destroy_test_db(configured, verbosity=0)
        self.stdout.write(json.dumps({"audited_submit_concurrency": result}, indent=2))

    def _measure(self, clients: int, seconds: float, rounds: int, hold: float) -> dict[str, Any]:
        officers = [_officer().pk for _ in range(clients)]
        rates: dict[str, list[float]] = {"form_1": [], "form_n": [], "held_1": [], "held_n": []}
        for _ in range(rounds):
            rates["form_1"].append(_run(officers[:1], seconds))
            rates["form_n"].append(_run(officers, seconds))
            rates["held_1"].append(_run(officers[:1], seconds, hold))
            rates["held_n"].append(_run(officers, seconds, hold))
        unsealed = AuditEvent.objects.filter(position__isnull=True).count()
        audit.seal()
        mean = {side: sum(values) / rounds for side, values in rates.items()}
        return {
            "seconds_per_round": seconds,
            "rounds": rounds,
            "form_one_client_per_second": round(mean["form_1"], 1),
            f"form_{clients}_clients_per_second": round(mean["form_n"], 1),
            "form_ratio": round(mean["form_n"] / mean["form_1"], 2),
            f"held_{hold * 1000:g}ms_one_client_per_second": round(mean["held_1"], 1),
            f"held_{hold * 1000:g}ms_{clients}_clients_per_second": round(mean["held_n"], 1),
            "held_ratio": round(mean["held_n"] / mean["held_1"], 2),
            "target": ">= 1.5",
            "events_recorded": AuditEvent.objects.count(),
            "left_unsealed_after_the_last_commit": unsealed,
            "chain_intact": audit.chain_problems() is None,
            "cpu_cores": multiprocessing.cpu_count(),
            "load_average": [round(value, 2) for value in os.getloadavg()],
        }
