"""A person's page shows where they stayed, from the lodging reports (APOA) imported."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silahap.registry.models import TravelDocument
from silahap.registry.tests.test_import_confirm import STAYS, imported

pytestmark = pytest.mark.django_db


def test_the_person_page_lists_their_lodging_stays_newest_first(client, people):
    imported(people, "lodging", STAYS)
    anna = TravelDocument.objects.get(number="L898902C3").person
    client.force_login(people.officer_b)
    response = client.get(
        reverse("registry:person_detail", args=[anna.pk]), {"purpose": "supervision"}
    )
    assert response.status_code == 200
    assert [stay.check_in.isoformat() for stay in response.context["stays"]] == [
        "2025-04-01",
        "2025-03-01",
    ]
    assert response.content.count(b'data-testid="lodging-stay"') == 2
    assert b"Hotel Bandara" in response.content
