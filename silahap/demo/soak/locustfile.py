"""make soak's load (bin/soak runs locust on this file, in .venv-soak, never in the product):
phones filing activities with a small photo each through the outbox, leaders polling their live
boards, CSV exports and registry lookups, against the local cluster's nginx.

Submissions arrive at the plan's rate (SOAK_PLAN, [[seconds, per second], ...]) whatever the
answers' speed: a generator puts due arrivals in a queue and the officers' phones take them. A
phone sends what its outbox sends: the activity form with its client_id and `X-Outbox: 1`
(answered with the new activity's address as JSON), then the photo form with its own client_id.
A request that fails (a node killed under it, a 502) is sent again, same body, same key, until it
is answered, as the outbox does; and a share of the acknowledged submissions (SOAK_RESEND) is
sent once more, as after an answer lost on the way back, which must find the same record.

In step mode (SOAK_MODE=step) each step is judged when it ends (report.step_verdict) and the run
stops at the first that fails. Every request, phase and acknowledged submission goes to
SOAK_EVENTS as one JSON line (the format is in report.py) for bin/soak to count.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re
import sys
import time
import uuid
import zoneinfo
from urllib.parse import urlencode

import gevent
from gevent.queue import Empty, Full, Queue
from locust import FastHttpUser, constant, constant_pacing, events, task

from silahap.demo.soak import report

PEOPLE = json.loads(open(os.environ["SOAK_PEOPLE"]).read())  # noqa: SIM115
EVENTS_OUT = open(os.environ["SOAK_EVENTS"], "a")  # noqa: SIM115 -- closed when locust quits
PLAN = [(float(seconds), float(rate)) for seconds, rate in json.loads(os.environ["SOAK_PLAN"])]
MODE = os.environ.get("SOAK_MODE", "soak")
TAG = os.environ["SOAK_TAG"]
RESEND = float(os.environ.get("SOAK_RESEND", "0.05"))
WARM = float(os.environ.get("SOAK_WARM_SECONDS", "10"))
POLL_SECONDS = float(os.environ.get("SOAK_POLL_SECONDS", "5"))
LOOKUP_SECONDS = float(os.environ.get("SOAK_LOOKUP_SECONDS", "1"))
ZONE = zoneinfo.ZoneInfo("Asia/Jakarta")  # the soak offices' zone (soak_seed)
PHOTOS = [open(path, "rb").read() for path in PEOPLE["photos"]]  # noqa: SIM115

ARRIVALS: Queue = Queue(maxsize=int(os.environ.get("SOAK_BACKLOG", "200")))
SEEN = report.Events()
STATE = {"done": False, "missed": 0, "in_flight": 0}
OFFICERS = itertools.cycle(PEOPLE["officers"])
LEADERS = itertools.cycle(PEOPLE["leaders"])
LOOKERS = itertools.cycle(reversed(PEOPLE["officers"]))
CURSOR = re.compile(r'data-cursor="(\d+)"')
ACTIVITY = re.compile(r"/reports/activities/(\d+)/")


def write(row: list) -> None:
    SEEN.add(row)
    EVENTS_OUT.write(json.dumps(row) + "\n")


@events.request.add_listener
def on_request(name, response_time, exception=None, start_time=None, **kwargs):
    started = start_time if start_time is not None else time.time() - response_time / 1000
    detail = "" if exception is None else str(exception)[:120]
    write(["r", round(started, 3), name, round(response_time, 1), exception is None, detail])


@events.test_start.add_listener
def on_test_start(environment, **kwargs):
    gevent.spawn(run_plan, environment)


@events.quitting.add_listener
def on_quitting(environment, **kwargs):
    EVENTS_OUT.flush()


def say(text: str) -> None:
    print(f"soak: {text}", file=sys.stderr, flush=True)


def run_plan(environment) -> None:
    """Put the plan's arrivals in the queue, step by step; in step mode judge each step."""
    for seconds, rate in PLAN:
        start = time.time()
        write(["m", start, "step" if MODE == "step" else "soak", rate])
        emitted = 0
        while time.time() < start + seconds:
            due = int((time.time() - start) * rate)
            for _ in range(due - emitted):
                try:
                    ARRIVALS.put_nowait(time.time())
                except Full:
                    STATE["missed"] += 1  # the phones could not keep up: the step fails
            emitted = max(emitted, due)
            gevent.sleep(0.01)
        if MODE == "step":
            verdict = report.step_verdict(SEEN, start, time.time(), rate, WARM)
            say(
                f"step {rate:g}/s: {verdict['achieved']:g}/s acknowledged, p95 activity "
                f"{verdict['activity']['p95_ms']} ms, photo {verdict['photo']['p95_ms']} ms, "
                f"errors {verdict['activity']['errors'] + verdict['photo']['errors']}"
                + ("" if verdict["ok"] else ": over the line, the step-up stops")
            )
            if not verdict["ok"]:
                break
    STATE["done"] = True
    write(["m", time.time(), "end", 0])
    # The submissions under way finish (and are counted) before the run ends.
    waited = time.time()
    while STATE["in_flight"] and time.time() - waited < 60:
        gevent.sleep(0.2)
    EVENTS_OUT.flush()
    environment.runner.quit()


def _headers(account: dict, **more: str) -> dict[str, str]:
    cookie = f"{PEOPLE['session_cookie']}={account['session']}; "
    cookie += f"{PEOPLE['csrf_cookie']}={account['csrf']}"
    return {"Cookie": cookie, "X-CSRFToken": account["csrf"], **more}


def _multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="soak.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Officer(FastHttpUser):
    """A field officer's phone: takes the next due arrival and files it, activity then photo."""

    fixed_count = int(os.environ.get("SOAK_OFFICER_USERS", "60"))
    wait_time = constant(0)

    def on_start(self):
        self.account = next(OFFICERS)

    @task
    def file_one(self):
        if STATE["done"]:
            gevent.sleep(1)
            return
        try:
            ARRIVALS.get(timeout=1)
        except Empty:
            return
        STATE["in_flight"] += 1
        try:
            self.submit()
        finally:
            STATE["in_flight"] -= 1

    def submit(self) -> None:
        client_id = str(uuid.uuid4())
        now = datetime.datetime.now(ZONE)
        form = urlencode(
            {
                "client_id": client_id,
                "csrfmiddlewaretoken": self.account["csrf"],
                "kind": "field",
                "source": "independent",
                "classification": "open",
                "warrant_number": f"SP-SOAK-{TAG}",
                "warrant_date": now.date().isoformat(),
                "started_at": now.strftime("%Y-%m-%dT%H:%M"),
                "place_mode": "existing",
                "latitude": f"{-6.2 + random.uniform(-0.05, 0.05):.5f}",
                "longitude": f"{106.6 + random.uniform(-0.05, 0.05):.5f}",
                "location_source": "gps",
                "description": "Pemeriksaan rutin (soak)",
            }
        ).encode()
        activity_form = ("/reports/activities/new/", form, "application/x-www-form-urlencoded")
        attempts, pk = self.until_answered("activity", *activity_form, self.activity_pk)
        if pk is None:
            write(["u", time.time(), client_id])
            return
        photo_key = str(uuid.uuid4())
        body, kind = _multipart(
            {"client_id": photo_key, "csrfmiddlewaretoken": self.account["csrf"]},
            random.choice(PHOTOS),
        )
        photo_form = (f"/reports/activities/{pk}/photos/", body, kind)
        more, added = self.until_answered("photo", *photo_form, self.photo_added)
        if added is None:
            write(["u", time.time(), client_id])
            return
        resent = random.random() < RESEND
        same = None
        if resent:
            # The answer was lost on the way back: the outbox sends both again.
            again = self.send("activity (resend)", *activity_form, self.activity_pk)
            photo_again = self.send("photo (resend)", *photo_form, self.photo_added)
            same = again == pk and photo_again is not None
        write(["s", time.time(), client_id, pk, photo_key, attempts + more - 2, resent, same])

    def until_answered(self, name, path, body, kind, read):
        """Send until the server answers as it should, as the outbox does (at most 40 times)."""
        for attempt in range(1, 41):
            answer = self.send(name if attempt == 1 else f"{name} (retry)", path, body, kind, read)
            if answer is not None:
                return attempt, answer
            gevent.sleep(min(0.5 * 2 ** (attempt - 1), 5))
        return 40, None

    def send(self, name, path, body, kind, read):
        headers = _headers(self.account, **{"X-Outbox": "1", "Content-Type": kind})
        if name.startswith("photo"):
            headers["Accept"] = "application/json"
        with self.client.request(
            "POST",
            path,
            data=body,
            headers=headers,
            name=name,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            answer = read(response)
            if answer is None:
                response.failure(
                    f"{response.status_code} {str(getattr(response, 'error', None) or '')[:80]}"
                )
            else:
                response.success()
            return answer

    @staticmethod
    def activity_pk(response):
        if response.status_code != 200:
            return None
        try:
            found = ACTIVITY.search(response.json().get("redirect", ""))
        except ValueError:
            return None
        return int(found.group(1)) if found else None

    @staticmethod
    def photo_added(response):
        return True if response.status_code == 201 else None


class Leader(FastHttpUser):
    """A leader with the live board open: the page once, then its poll every few seconds."""

    fixed_count = int(os.environ.get("SOAK_LEADERS", "200"))
    wait_time = constant_pacing(POLL_SECONDS)

    def on_start(self):
        self.account = next(LEADERS)
        self.cursor = "0"
        self.label = ""  # the last full answer's ETag, sent back as board.js does
        gevent.sleep(random.uniform(0, POLL_SECONDS))  # boards opened at different moments
        with self.client.get(
            "/supervision/board/",
            headers=_headers(self.account),
            name="board page",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            found = CURSOR.search(response.text or "") if response.status_code == 200 else None
            if found:
                self.cursor = found.group(1)
                response.success()
            else:
                response.failure(f"{response.status_code}")

    @task
    def poll(self):
        more = {"X-Silahap-Poll": "1", "Accept": "application/json"}
        if self.label:
            more["If-None-Match"] = self.label
        with self.client.get(
            f"/supervision/board/feed/?after={self.cursor}",
            headers=_headers(self.account, **more),
            name="board",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 304:
                # Nothing new: the cursor and the label stay; counted apart from full answers.
                response.request_meta["name"] = "board (not modified)"
                response.success()
                return
            try:
                self.cursor = response.json()["cursor"] if response.status_code == 200 else None
            except (ValueError, KeyError):
                self.cursor = None
            if self.cursor is None:
                response.failure(
                    f"{response.status_code} {str(getattr(response, 'error', None) or '')[:80]}"
                )
                self.cursor, self.label = "0", ""
            else:
                self.label = response.headers.get("ETag") or ""
                response.success()


class Exporter(FastHttpUser):
    """A leader downloading the month's activities of their office as CSV, one after another."""

    fixed_count = int(os.environ.get("SOAK_EXPORTERS", "5"))
    wait_time = constant(1)

    def on_start(self):
        self.account = random.choice(PEOPLE["leaders"])

    @task
    def export(self):
        with self.client.get(
            f"/insights/unit/{self.account['office']}/rows/activities.csv?p={PEOPLE['period']}",
            headers=_headers(self.account),
            name="export csv",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 200 and (response.content or b"").startswith(b"activity_id"):
                response.success()
            else:
                response.failure(
                    f"{response.status_code} {str(getattr(response, 'error', None) or '')[:80]}"
                )


class Lookup(FastHttpUser):
    """An officer typing a name into the check form: the registry's search-as-you-type."""

    fixed_count = int(os.environ.get("SOAK_LOOKUP_USERS", "5"))
    wait_time = constant_pacing(LOOKUP_SECONDS)

    def on_start(self):
        self.account = next(LOOKERS)

    @task
    def lookup(self):
        term = random.choice(PEOPLE["lookups"])
        with self.client.get(
            f"/registry/persons/lookup?{urlencode({'q': term})}",
            headers=_headers(self.account, Accept="application/json"),
            name="lookup",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 200:
                response.success()
            else:
                response.failure(
                    f"{response.status_code} {str(getattr(response, 'error', None) or '')[:80]}"
                )
