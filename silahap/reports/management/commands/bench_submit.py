"""`manage.py bench_submit`: the officer's activity form (`POST /reports/activities/new/`) next to
a bare authenticated Django view doing one INSERT into the same table, side by side (#21).

Both go through the same in-process client, middleware, session and login, with DEBUG off;
rounds alternate between the two so a busy machine slows both alike. Everything is made inside
one transaction that is rolled back at the end, so it runs on any database (the demo's too) and
leaves nothing. So that the form is charged what a real submit costs, after each request the bench
runs what its commit would have run (sealing the audit event into the chain, waking the spine's
drain, renewing the unit's change token; the bare view has nothing to run), and drops the
"Activity saved" message the officer's next page would have shown (unread, the bench's messages
cookie would grow by one each submit). The form is posted urlencoded, as the browser and the
outbox post it. One cost stays that production does not pay: inside the bench's transaction
the form's create is a savepoint pair, two short statements, not BEGIN/COMMIT.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import statistics
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone

from silahap.accounts import services as accounts
from silahap.accounts.models import Membership, OrgUnit
from silahap.reports import services
from silahap.reports.models import Activity


def bare_insert(request, report: int):
    """The baseline: an authenticated request that writes one activity row and nothing else
    (the report it goes in is named by the address, so not even a lookup comes before it)."""
    Activity.objects.create(
        report_id=report,
        kind="field",
        source="independent",
        started_at=timezone.now(),
        warrant_number="SP-BENCH",
        warrant_date=timezone.localdate(),
    )
    return HttpResponse(status=201)


urlpatterns = [
    path("bench/bare-insert/<int:report>/", bare_insert),
    path("", include("silahap.urls")),
]


logger = logging.getLogger(__name__)
# As the officer's browser posts the form, with or without its script (the outbox sends a form
# without files urlencoded too).
FORM_ENCODED = "application/x-www-form-urlencoded"


def _run_after_commit() -> None:
    """Run, now, the callbacks the request queued for after its commit, as the commit would."""
    # Django's entries are (savepoints, callback, robust); its type stubs know two of them.
    callbacks: list[Any] = list(connection.run_on_commit)
    connection.run_on_commit[:] = []
    for _savepoints, callback, robust in callbacks:
        try:
            callback()
        except Exception:
            if not robust:
                raise
            logger.exception("an after-commit callback failed (robust: the write stands)")


def _officer():
    root = OrgUnit.objects.filter(parent=None).order_by("pk").first() or accounts.orgunit_create(
        by=None, kind=OrgUnit.Kind.DIRECTORATE_GENERAL, code="BENCH-DG", name="Bench DG"
    )
    office = accounts.orgunit_create(
        by=None,
        kind=OrgUnit.Kind.IMMIGRATION_OFFICE,
        code=f"BENCH-{uuid.uuid4().hex[:6]}",
        name="Kanim Bench",
        parent=root,
    )
    officer = accounts.user_create(
        by=None,
        username=f"bench_{uuid.uuid4().hex[:8]}",
        full_name="Bench Officer",
        password=uuid.uuid4().hex,
    )
    accounts.membership_create(
        by=None,
        user=officer,
        unit=office,
        role=Membership.Role.OFFICER,
        start_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    services.report_open(officer=officer)
    return officer


def _form(now: datetime.datetime) -> dict:
    local = timezone.localtime(now)
    return {
        "client_id": str(uuid.uuid4()),
        "kind": "field",
        "source": "independent",
        "classification": "open",
        "warrant_number": "SP-BENCH",
        "warrant_date": local.date().isoformat(),
        "started_at": local.strftime("%Y-%m-%dT%H:%M"),
        "place_mode": "existing",
        "latitude": "-6.2",
        "longitude": "106.6",
        "location_source": "gps",
    }


class Command(BaseCommand):
    help = "Submit rate of the activity form next to a bare one-INSERT view, side by side."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=300, help="per side")
        parser.add_argument("--rounds", type=int, default=10)

    def handle(self, *args, requests, rounds, **options):
        with transaction.atomic(), override_settings(ROOT_URLCONF=__name__, DEBUG=False):
            client = Client()
            officer = _officer()
            bare_url = f"/bench/bare-insert/{services.report_open(officer=officer).pk}/"
            client.force_login(officer)
            timings: dict[str, list[float]] = {"form": [], "bare": []}
            queries: dict[str, int] = {}

            def request(side: str) -> None:
                if side == "form":
                    response = client.post(
                        "/reports/activities/new/",
                        urlencode(_form(timezone.now())),
                        content_type=FORM_ENCODED,
                    )
                    assert response.status_code == 302, response.status_code
                else:
                    response = client.post(bare_url)
                    assert response.status_code == 201, response.status_code

            def send(side: str) -> float:
                started = time.perf_counter()
                request(side)
                _run_after_commit()
                elapsed = time.perf_counter() - started
                client.cookies.pop("messages", None)  # shown, and so dropped, by the next page
                return elapsed

            for side in ("form", "bare"):  # warm-up, and one request's queries each
                for _ in range(5):
                    send(side)
                # The request's own queries; after its commit the form's may also seal the
                # audit trail (at most every SEAL_SOON_INTERVAL in a process): in the timings.
                with CaptureQueriesContext(connection) as captured:
                    request(side)
                queries[side] = len(captured.captured_queries)
                _run_after_commit()
                client.cookies.pop("messages", None)
            per_round = max(requests // rounds, 1)
            for _ in range(rounds):
                for side in ("form", "bare"):
                    timings[side].extend(send(side) for _ in range(per_round))
            transaction.set_rollback(True)
        result = {}
        for side, values in timings.items():
            result[side] = {
                "requests": len(values),
                "per_second": round(len(values) / sum(values), 1),
                "p50_ms": round(statistics.median(values) * 1000, 2),
                "p95_ms": round(sorted(values)[int(len(values) * 0.95) - 1] * 1000, 2),
                "queries": queries[side],
            }
        result["form_rate_vs_bare"] = round(
            result["form"]["per_second"] / result["bare"]["per_second"], 2
        )
        result["target"] = ">= 0.5"
        result["load_average"] = [round(value, 2) for value in os.getloadavg()]
        self.stdout.write(json.dumps({"activity_submit": result}, indent=2))
