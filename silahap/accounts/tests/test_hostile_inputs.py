"""Every URL, every parameter and form field it reads, hostile values (issue 23): no 500,
no request over 3 s, a bounded number of queries. Parameters per URL:
silahap/testing/fuzz_parameters.py.

Oversized, non-numeric, NaN, Infinity, negative, huge and Unicode-garbage values (NUL, a lone
surrogate as its UTF-8 bytes survive, right-to-left marks, combining marks) go into every
parameter at once, then into a few parameters at a time (a different value in each, and per
persona), and into path converters: a huge id, and each hostile value where a converter takes
any string. A representative set, not the cross product: the suite runs it on both databases.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from silahap.testing.fuzz_parameters import PARAMETERS
from silahap.testing.hostile import HOSTILE, MOST_QUERIES, SLOWEST_SECONDS, encode, quoted
from silahap.testing.routes import named_routes
from silahap.testing.url_matrix import MATRIX, step_url

KINDS = sorted(HOSTILE)
# Sent in every field at once by every persona; the others, each by one persona.
EVERY_PERSONA = ["huge", "nul", "oversized"]


def kinds_for(persona_index: int) -> list[str]:
    others = [kind for kind in KINDS if kind not in EVERY_PERSONA]
    return EVERY_PERSONA + others[persona_index :: len(PERSONAS)]


# Anonymous too: the login page and the public URLs are the first thing anyone reaches.
PERSONAS = ["officer_a", "leader_a", "office_admin", "anonymous"]
FIELDS_AT_A_TIME = 4


def test_every_url_has_an_entry_in_the_parameter_table():
    routes = {name for name in named_routes() if not name.startswith("admin:")}
    missing = sorted(routes - PARAMETERS.keys())
    assert missing == [], f"add these URLs to silahap/testing/fuzz_parameters.py: {missing}"
    stale = sorted(PARAMETERS.keys() - routes)
    assert stale == [], f"entries for URLs that no longer exist: {stale}"


def _paths(name: str, people) -> list[str]:
    """The URL with real ids, then with a huge id or a hostile string in its converters."""
    real = MATRIX[name].url(people).split("?")[0]
    match = resolve(real)
    paths = [real]
    for key, value in match.kwargs.items():
        if isinstance(value, int):
            paths.append(reverse(name, kwargs={**match.kwargs, key: 2**70}))
        elif key == PARAMETERS[name].path_string:
            marked = reverse(name, kwargs={**match.kwargs, key: "HOSTILE"})
            paths += [marked.replace("HOSTILE", quoted(HOSTILE[kind])) for kind in KINDS]
    return paths


def _names(name: str, method: str, people) -> tuple[str, ...]:
    params = PARAMETERS[name].get if method == "GET" else PARAMETERS[name].post
    if any("{step}" in param for param in params):
        step = f"step{people._step.pk}"
        params = tuple(param.replace("{step}", step) for param in params)
    return params


def _requests(name: str, method: str, people, persona_index: int):
    """(path, fields) to send: each hostile value in every field, then each field alone."""
    paths = _paths(name, people)
    names = _names(name, method, people)
    # Row.extra: a row's data may be a callable of the personas (ids differ per database).
    data = MATRIX[name].extra(method, people).get("data", {})
    baseline = {**data, **dict(PARAMETERS[name].baseline)}
    for path in paths[1:]:
        yield path, list(baseline.items())
    if not names:
        yield paths[0], list(baseline.items())
        return
    for kind in kinds_for(persona_index):
        yield paths[0], [(field, HOSTILE[kind]) for field in names]
    # Then a few fields at a time, each with its own value, the rest as the matrix sends them.
    for start in range(0, len(names), FIELDS_AT_A_TIME):
        hostile = {
            field: HOSTILE[KINDS[(start + offset + persona_index) % len(KINDS)]]
            for offset, field in enumerate(names[start : start + FIELDS_AT_A_TIME])
        }
        yield paths[0], list({**baseline, **hostile}.items())


def _send(client, method: str, path: str, fields: list[tuple[str, str]]):
    body = encode(fields)
    if method == "GET":
        return client.get(f"{path}?{body}" if body else path)
    return client.post(
        path, data=body.encode("ascii"), content_type="application/x-www-form-urlencoded"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_hostile_values_break_no_page(client, people, persona, method):
    client.raise_request_exception = False
    user = people.by_name(persona)
    step_url("supervision:followup_step_update")(people)  # the step whose pk prefixes its form
    failures: list[str] = []
    slowest = (0.0, "")
    for name in sorted(PARAMETERS):
        if method not in MATRIX[name].methods:
            continue
        if user is not None:
            client.force_login(user)  # again: logout, or a merge or reset, may have ended it
        for path, fields in _requests(name, method, people, PERSONAS.index(persona)):
            with CaptureQueriesContext(connection) as queries:
                start = time.thread_time()
                response = _send(client, method, path, fields)
                seconds = time.thread_time() - start
            where = f"{method} {name} {path[:80]} {[(f, v[:12]) for f, v in fields][:4]}"
            if response.status_code >= 500:
                failures.append(f"{response.status_code}: {where}")
            if len(queries.captured_queries) > MOST_QUERIES:
                failures.append(f"{len(queries.captured_queries)} queries: {where}")
            slowest = max(slowest, (seconds, where))
    assert not failures, "\n".join(failures)
    assert slowest[0] < SLOWEST_SECONDS, slowest
