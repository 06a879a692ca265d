"""The admin's user list filters by agency by name, Immigration included (its code is empty)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def usernames(response) -> set[str]:
    return {user.username for user in response.context["cl"].result_list}


def test_the_agency_filter_names_every_agency_and_filters_by_it(client, people):
    client.force_login(people.office_admin)
    url = reverse("admin:accounts_user_changelist")
    page = client.get(url)
    assert page.status_code == 200
    choices = {
        choice["display"]: choice["query_string"]
        for spec in page.context["cl"].filter_specs
        if getattr(spec, "parameter_name", "") == "agency"
        for choice in spec.choices(page.context["cl"])
    }
    assert len(choices) > 5  # all, Immigration and the partner agencies
    assert all(str(name).strip() for name in choices)  # no link without text
    polri = client.get(url, {"agency": "polri"})
    assert "partner" in usernames(polri)
    assert "officer_a" not in usernames(polri)
    immigration = client.get(url, {"agency": "-"})
    assert "officer_a" in usernames(immigration)
    assert "partner" not in usernames(immigration)
