"""The role × URL table: what each persona gets from every URL and method.

Each new URL adds a row here; tests fail for a URL without one. Statuses: 200 shown, 302 sent
elsewhere (to the login page when anonymous), 403 may see but not act, 404 may not see, 405 wrong
method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

PERSONAS = [
    "anonymous",
    "officer_a",
    "leader_a",
    "officer_b",
    "analyst",
    "partner",
    "office_admin",
]


def everyone(status: int, **exceptions: int) -> dict[str, int]:
    return {persona: exceptions.get(persona, status) for persona in PERSONAS}


def signed_in(status: int, **exceptions: int) -> dict[str, int]:
    return everyone(status, anonymous=302, **exceptions)


@dataclass
class Row:
    methods: dict[str, dict[str, int]]
    url_for: Callable | None = None
    name: str = ""
    data: dict[str, dict] = field(default_factory=dict)

    def url(self, people) -> str:
        if self.url_for is not None:
            return self.url_for(people)
        return reverse(self.name)

    def extra(self, method: str) -> dict:
        return {"data": self.data[method]} if method in self.data else {}


MATRIX: dict[str, Row] = {
    "home": Row({"GET": signed_in(200), "POST": signed_in(405)}),
    "login": Row(
        {"GET": everyone(302, anonymous=200), "POST": everyone(302, anonymous=200)},
        data={"POST": {"username": "nobody", "password": "wrong-password"}},
    ),
    "logout": Row({"GET": everyone(405, anonymous=302), "POST": everyone(302)}),
    "healthz": Row({"GET": everyone(200), "POST": everyone(405)}),
    "set_language": Row(
        {"POST": everyone(302)},
        data={"POST": {"language": "en", "next": "/"}},
    ),
}
for route, row in MATRIX.items():
    row.name = route


def admin_expectation(name: str, persona: str) -> int:
    if persona == "office_admin":
        return 403 if name == "admin:audit_auditevent_changelist" else 200
    return 302
