"""Role × URL rows for duplicate review and merge; merged into url_matrix.MATRIX.

Immigration staff see the candidate lists; leaders and office administrators decide (an empty
choice comes back 422); other staff 403; a partner-agency member 404 everywhere."""

from __future__ import annotations

from django.urls import reverse

from silahap.testing.url_matrix import Row, registry_person, signed_in

DECIDERS = {"leader_a": 422, "office_admin": 422, "partner": 404}
# Dismissing needs no choice: the deciders are sent back to the list.
DISMISSERS = {"leader_a": 302, "office_admin": 302, "partner": 404}


def duplicate_person(people):
    """A second record of officer_a's registry person, once per test."""
    if not hasattr(people, "_duplicate_person"):
        from silahap.registry.services import person_create

        people._duplicate_person = person_create(
            by=people.officer_a, full_name="Ana Maria Eriksson", nationality="SE"
        ).person
    return people._duplicate_person


def duplicate_places(people):
    """Two places of one name a few metres apart, once per test."""
    if not hasattr(people, "_duplicate_places"):
        from decimal import Decimal

        from silahap.registry.models import Regency
        from silahap.registry.services import place_create

        regency = Regency.objects.get(code="36.71")
        people._duplicate_places = [
            place_create(
                by=people.officer_a,
                name="Hotel Kembar",
                kind="hotel",
                regency=regency,
                latitude=Decimal("-6.170000"),
                longitude=Decimal(longitude),
            )
            for longitude in ("106.630000", "106.630200")
        ]
    return people._duplicate_places


def person_pair_url(name):
    return lambda people: reverse(
        name, args=[registry_person(people).pk, duplicate_person(people).pk]
    )


def place_pair_url(name):
    return lambda people: reverse(name, args=[place.pk for place in duplicate_places(people)])


ROWS: dict[str, Row] = {
    "registry:person_duplicates": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(405)},
        url_for=lambda people: reverse("registry:person_duplicates") + "?by=document",
    ),
    "registry:person_merge": Row(
        {"GET": signed_in(405), "POST": signed_in(403, **DECIDERS)},
        url_for=person_pair_url("registry:person_merge"),
        data={"POST": {"survivor": ""}},
    ),
    "registry:person_duplicate_dismiss": Row(
        {"GET": signed_in(405), "POST": signed_in(403, **DISMISSERS)},
        url_for=person_pair_url("registry:person_duplicate_dismiss"),
        data={"POST": {}},
    ),
    "registry:place_duplicates": Row(
        {"GET": signed_in(200, partner=404), "POST": signed_in(405)},
    ),
    "registry:place_merge": Row(
        {"GET": signed_in(405), "POST": signed_in(403, **DECIDERS)},
        url_for=place_pair_url("registry:place_merge"),
        data={"POST": {"survivor": ""}},
    ),
    "registry:place_duplicate_dismiss": Row(
        {"GET": signed_in(405), "POST": signed_in(403, **DISMISSERS)},
        url_for=place_pair_url("registry:place_duplicate_dismiss"),
        data={"POST": {}},
    ),
}
