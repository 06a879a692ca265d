"""Every URL and method, for every persona: the status they get. A URL without a row fails here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silahap.testing.routes import named_routes
from silahap.testing.url_matrix import ATTACKS, MATRIX, PERSONAS, admin_expectation


def test_every_url_has_a_row():
    routes = named_routes()
    missing = sorted(
        name for name in routes if name not in MATRIX and not name.startswith("admin:")
    )
    assert missing == [], f"add these URLs to silahap/testing/url_matrix.py: {missing}"
    stale = sorted(name for name in MATRIX if name not in routes)
    assert stale == [], f"rows for URLs that no longer exist: {stale}"


def personas_to_try(expectations: dict[str, int]) -> list[str]:
    """Every persona, except for a method the route refuses to all who are signed in: one
    wrong-method case per route (and anonymous) proves the 405 without seven identical cases."""
    signed_in = {status for persona, status in expectations.items() if persona != "anonymous"}
    if signed_in == {405}:
        return ["anonymous", "officer_a"]
    return PERSONAS


CASES = [
    (name, method, persona)
    for name, row in sorted(MATRIX.items())
    for method, expectations in row.methods.items()
    for persona in personas_to_try(expectations)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_persona_gets_the_expected_status(client, people, name, method, persona):
    row = MATRIX[name]
    expected = row.methods[method][persona]
    user = people.by_name(persona)
    if user is not None:
        client.force_login(user)
    url = row.url(people)
    response = getattr(client, method.lower())(url, **row.extra(method, people))
    assert response.status_code == expected, (
        f"{persona} {method} {url}: expected {expected}, got {response.status_code}"
    )


ADMIN_URLS = [
    "admin:index",
    "admin:accounts_orgunit_changelist",
    "admin:accounts_user_changelist",
    "admin:accounts_membership_changelist",
    "admin:areas_village_changelist",  # the areas left registry (silahap/areas)
    "admin:registry_visaindex_changelist",
    "admin:registry_sponsor_changelist",
    "admin:registry_place_changelist",
    "admin:registry_foreignnational_changelist",
    "admin:reports_violationtype_changelist",
    "admin:audit_auditevent_changelist",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_URLS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_for_administrators_only(client, people, name, persona):

    user = people.by_name(persona)
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == admin_expectation(name, persona)


@pytest.mark.django_db
def test_office_admin_sees_only_their_office_in_the_admin(client, people):
    client.force_login(people.office_admin)
    response = client.get("/admin/accounts/orgunit/")
    content = response.content.decode()
    assert "Kanim Tangerang" in content
    assert "Kanim Denpasar" not in content
    response = client.get(f"/admin/accounts/orgunit/{people.office_b.pk}/change/")
    assert response.status_code == 302  # Django's admin redirects a missing object to its list


@pytest.mark.django_db
@pytest.mark.parametrize("attack", ATTACKS, ids=[attack.name for attack in ATTACKS])
def test_a_hostile_admin_form_widens_nobodys_access(client, people, attack):
    client.force_login(people.office_admin)
    response = client.post(attack.url_for(people), attack.data(people))
    assert response.status_code in attack.statuses, f"{attack.name}: {response.status_code}"
    assert attack.holds(people), f"{attack.name}: got through"
