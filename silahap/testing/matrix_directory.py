"""Role × URL rows for sponsor and place lists, pages and forms; merged into url_matrix.MATRIX."""

from __future__ import annotations

from django.urls import reverse

from silahap.testing.url_matrix import Row, field_activity, signed_in


def directory_sponsor(people):
    """An individual sponsor registered by officer_a through the service, once per test."""
    if not hasattr(people, "_directory_sponsor"):
        from silahap.registry.services_directory import sponsor_create

        people._directory_sponsor = sponsor_create(
            by=people.officer_a,
            kind="individual",
            name="Budi Santoso",
            identity_number="3671011203800001",
        ).sponsor
    return people._directory_sponsor


def sponsor_url(name):
    return lambda people: reverse(name, args=[directory_sponsor(people).pk])


def place_url(name):
    return lambda people: reverse(name, args=[field_activity(people).place_id])


# Lists and forms: immigration staff of every office (the registry is national); a partner-agency
# member is refused (403), and gets 404 for any one record. Empty forms come back with 422.
ROWS: dict[str, Row] = {
    "registry:sponsor_list": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:sponsor_list") + "?q=budi",
    ),
    "registry:sponsor_create": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(422, partner=403)},
        data={"POST": {"name": ""}},
    ),
    "registry:sponsor_detail": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(405)},
        url_for=sponsor_url("registry:sponsor_detail"),
    ),
    "registry:sponsor_update": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(422, partner=404)},
        url_for=sponsor_url("registry:sponsor_update"),
        data={"POST": {"name": ""}},
    ),
    "registry:place_list": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:place_list") + "?q=hotel",
    ),
    "registry:place_create": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(422, partner=403)},
        data={"POST": {"name": ""}},
    ),
    "registry:places_near": Row(
        {"GET": signed_in(200, partner=403), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:places_near") + "?lat=-6.17&lng=106.63",
    ),
    "registry:place_update": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(422, partner=404)},
        url_for=place_url("registry:place_update"),
        data={"POST": {"name": ""}},
    ),
    # Leaders and analysts read their offices' warnings; nobody else has offices to read.
    "registry:permit_warnings": Row(
        {"GET": signed_in(403, leader_a=200, analyst=200), "POST": signed_in(405)},
    ),
}
