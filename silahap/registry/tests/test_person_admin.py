"""The admin's person page: permits edited inline keep the warning columns right."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from silahap.registry.models import ForeignNational
from silahap.registry.services import person_create

pytestmark = pytest.mark.django_db

FIELD = re.compile(r'<(input|select|textarea)[^>]*name="([^"]+)"[^>]*>', re.S)


def form_data(html: str) -> dict[str, str]:
    """What the browser would send back unchanged: every field's current value."""
    data: dict[str, str] = {}
    for match in FIELD.finditer(html):
        tag, name = match.group(0), match.group(2)
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        if match.group(1) == "select":
            start = match.end()
            body = html[start : html.index("</select>", start)]
            selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
            data[name] = selected.group(1) if selected else ""
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name] = value.group(1) if value else ""
    return data


def test_a_permit_added_in_the_admin_updates_the_persons_latest_permit_end(client, people):
    person = person_create(
        by=people.officer_a, full_name="Admin Uji", nationality="DE", document_number="C01X00T47"
    ).person
    assert ForeignNational.objects.get(pk=person.pk).permit_valid_until is None
    client.force_login(people.office_admin)
    url = reverse("admin:registry_foreignnational_change", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode())
    prefix = next(name for name in data if name.endswith("-TOTAL_FORMS") and "permit" in name)
    prefix = prefix.removesuffix("-TOTAL_FORMS")
    until = timezone.localdate() + datetime.timedelta(days=10)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(int(data[f"{prefix}-INITIAL_FORMS"]) + 1),
            f"{prefix}-0-person": str(person.pk),
            f"{prefix}-0-permit_type": "ITAS",
            f"{prefix}-0-issued_on": (until - datetime.timedelta(days=300)).isoformat(),
            f"{prefix}-0-valid_until": until.isoformat(),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert person.permits.get().valid_until == until
    assert ForeignNational.objects.get(pk=person.pk).permit_valid_until == until
