"""The demo's API client: SIMKIM reading Tangerang's reports, registered and approved as in life.

No token is made: a token exists in clear only on the page that issues it, so the demo's
administrator (admin.tng) issues one in the console (/api/v1/console/clients/).
"""

from __future__ import annotations

from silahap.accounts.models import OrgUnit, User
from silahap.integration.models import ApiClient
from silahap.integration.services.clients import api_client_approve, api_client_register

DEMO_CLIENT = "SIMKIM (demo)"


def seed_integration() -> ApiClient:
    existing = ApiClient.objects.filter(name=DEMO_CLIENT).first()
    if existing is not None:
        return existing
    office = OrgUnit.objects.get(code="KANIM-TNG")
    client = api_client_register(
        by=User.objects.get(username="admin.tng"),
        name=DEMO_CLIENT,
        unit=office,
        resources=["units", "reports", "events"],
        contact_email="simkim@demo.silahap.invalid",
    )
    return api_client_approve(by=User.objects.get(username="kakanim.tng"), client=client)
