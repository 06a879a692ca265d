"""The server marks which pages the phone may keep: only an officer's own field screens, never a
registry, person, audit, PDP, review or admin page, never any page of a leader, analyst,
administrator or partner (issue "Field reporting III", item 10)."""

from __future__ import annotations

import pytest

from silahap.accounts.offline import KEEP_HEADER, SESSION_HEADER, user_key
from silahap.testing.url_matrix import MATRIX, PERSONAS

# The officer's field screens (marked with accounts.offline.field_screen in the urls).
FIELD_SCREENS = {
    "home",
    "reports:today",
    "reports:my_reports",
    "reports:report_detail",
    "reports:activity_create",
    "reports:activity_detail",
    "supervision:my_tasks",
}
NEVER = ("registry:", "audit:", "admin:", "reports:review", "insights:", "integration:")


def readers(name: str) -> list[str]:
    row = MATRIX[name]
    if "GET" not in row.methods:
        return []
    return [p for p in PERSONAS if p != "anonymous" and row.methods["GET"].get(p) == 200]


# Every page the officer reads, and the field screens as every other reader sees them (the
# rest of another role's pages are never marked: their views are not field screens).
PAGES = sorted(
    {(name, "officer_a") for name in MATRIX if "officer_a" in readers(name)}
    | {(name, persona) for name in FIELD_SCREENS for persona in readers(name)}
)


@pytest.mark.django_db
def test_only_an_officers_field_screens_may_be_kept(client, people):
    kept, refused = set(), set()
    for name, persona in PAGES:
        client.force_login(people.by_name(persona))
        response = client.get(MATRIX[name].url(people))
        if response["Content-Type"].startswith("text/html"):
            assert response[SESSION_HEADER] not in ("", "none"), (name, persona)
        (kept if response.get(KEEP_HEADER) == "keep" else refused).add((name, persona))
    assert {name for name, _persona in kept} == FIELD_SCREENS
    officers = {persona for persona in PERSONAS if persona.startswith("officer")}
    assert {persona for _name, persona in kept} <= officers
    assert not [name for name, _persona in kept if name.startswith(NEVER)]
    # A leader opening an officer's report (a review) is never kept.
    assert ("reports:report_detail", "leader_a") in refused


@pytest.mark.django_db
def test_signed_out_answers_name_no_session(client):
    response = client.get("/login/")
    assert response[SESSION_HEADER] == "none"
    assert KEEP_HEADER not in response


@pytest.mark.django_db
def test_each_login_is_a_new_session_and_the_key_names_the_person(client, people):
    client.force_login(people.officer_a)
    first = client.get("/reports/today/")[SESSION_HEADER]
    client.logout()
    client.force_login(people.officer_a)
    second = client.get("/reports/today/")[SESSION_HEADER]
    assert first != second
    page = client.get("/reports/today/").content.decode()
    assert f'data-user-key="{user_key(people.officer_a)}"' in page
    assert user_key(people.officer_a) != user_key(people.officer_a2)
    assert str(people.officer_a.pk) != user_key(people.officer_a)
