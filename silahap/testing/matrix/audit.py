"""Role × URL rows for the audit pages; merged into url_matrix.MATRIX."""

from __future__ import annotations

import datetime
import uuid

from django.urls import reverse
from django.utils import timezone

from silahap.oversight.services.incidents import incident_create
from silahap.testing.url_matrix import Row, person_url, signed_in

# Leaders and analysts read; office administrators keep the register and answer requests.
READERS = {"leader_a": 200, "analyst": 200, "office_admin": 200}
# An incident of office A: the leaders of the office and above (head_a, the Kanwil's analyst)
# read it, its administrator edits it; a section's leader (leader_a) does not see it.
INCIDENT_UNSEEN = {"officer_a": 404, "leader_a": 404, "officer_b": 404, "partner": 404}


def office_a_incident(people):
    """An incident of office A registered by its administrator, once per test."""
    if not hasattr(people, "_incident"):
        people._incident = incident_create(
            by=people.office_admin,
            client_id=uuid.uuid4(),
            office=people.office_a,
            reference="INC-MATRIX/2026",
            discovered_at=timezone.now() - datetime.timedelta(hours=2),
            description="A laptop with an export was lost.",
            data_categories=["identity"],
            subjects_count=12,
        )
    return people._incident


def incident_url(people):
    return reverse("audit:incident_update", args=[office_a_incident(people).pk])


ROWS: dict[str, Row] = {
    "audit:search": Row({"GET": signed_in(403, **READERS), "POST": signed_in(405)}),
    # The registry is national: every staff member sees the person, only administrators export.
    "audit:person_data_export": Row(
        {
            "GET": signed_in(403, partner=404, office_admin=200),
            "POST": signed_in(403, partner=404, office_admin=200),
        },
        url_for=person_url("audit:person_data_export"),
        data={"POST": {"reference": "PDP/1/2026", "reason": "Access", "file_format": "csv"}},
    ),
    "audit:incident_list": Row({"GET": signed_in(403, **READERS), "POST": signed_in(405)}),
    # An empty form: the administrator gets it back with the problems beside the fields.
    "audit:incident_create": Row(
        {"GET": signed_in(403, office_admin=200), "POST": signed_in(403, office_admin=422)}
    ),
    "audit:incident_update": Row(
        {
            "GET": signed_in(200, **INCIDENT_UNSEEN),
            "POST": signed_in(403, office_admin=422, **INCIDENT_UNSEEN),
        },
        url_for=incident_url,
    ),
}
