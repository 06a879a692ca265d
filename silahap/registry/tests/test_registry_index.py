"""The registry's front page and the menu links to it, to the audit trail and to security."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def hub_links(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("registry:index"))
    assert response.status_code == 200
    content = response.content.decode()
    return {
        name
        for name in ("persons", "sponsors", "places", "places-near", "warnings", "imports")
        if f'data-testid="hub-{name}"' in content
    }


def test_an_officer_reaches_records_but_not_imports_or_warnings(client, people):
    assert hub_links(client, people.officer_a) == {"persons", "sponsors", "places", "places-near"}


def test_a_leader_also_reaches_warnings_and_imports(client, people):
    assert {"warnings", "imports"} <= hub_links(client, people.leader_a)


def test_a_partner_member_has_no_registry(client, people):
    client.force_login(people.partner)
    assert client.get(reverse("registry:index")).status_code == 403
    assert b'data-testid="nav-registry"' not in client.get(reverse("home")).content


def test_the_menu_offers_the_audit_trail_to_leaders_and_administrators_only(client, people):
    for user, shown in (
        (people.officer_a, False),
        (people.leader_a, True),
        (people.office_admin, True),
    ):
        client.force_login(user)
        content = client.get(reverse("home")).content
        assert (b'data-testid="nav-audit"' in content) is shown
        assert b'data-testid="nav-security"' in content
        # The name in the top bar is hidden on phones; the footer link is not.
        assert b'data-testid="foot-security"' in content
