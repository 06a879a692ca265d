"""An incident made through the service, for the incident tests."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from silahap.oversight.services.incidents import incident_create


def an_incident(people, *, hours_ago: float = 2, reference: str = "INC/1/2026", **fields):
    values = {
        "by": people.office_admin,
        "client_id": uuid.uuid4(),
        "office": people.office_a,
        "reference": reference,
        "discovered_at": timezone.now() - datetime.timedelta(hours=hours_ago),
        "description": "An export was mailed to the wrong address.",
        "data_categories": ["identity", "travel_document"],
        "subjects_count": 40,
    }
    values.update(fields)
    return incident_create(**values)
