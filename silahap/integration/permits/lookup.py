""" "What does the DG's system say about this document?" — the permit lookup adapter.

Two implementations: SiLAHAP's own registry (the default) and an HTTP endpoint configured with
SILAHAP_PERMIT_LOOKUP_URL (the DG's system, or a gateway to it). The HTTP shape:

    GET <url>?document_number=L898902C3&issuing_country=SE
    Authorization: Bearer <SILAHAP_PERMIT_LOOKUP_TOKEN>          (when set)

    200 {"found": true, "permit_type": "ITAS", "permit_number": "2C11AB1234",
         "valid_until": "2027-01-31", "sponsor": "PT Contoh Jaya"}
    200 {"found": false}

Anything else — a timeout (SILAHAP_PERMIT_LOOKUP_TIMEOUT seconds, default 3), a refused
connection, another status, a body that is not that shape — is "status unavailable": the officer
records what they see and carries on.
"""

from __future__ import annotations

import datetime
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from typing import Protocol

from django.utils import dateparse

from silahap.registry import validation
from silahap.registry.models import StayPermit, TravelDocument

URL_ENV = "SILAHAP_PERMIT_LOOKUP_URL"
TOKEN_ENV = "SILAHAP_PERMIT_LOOKUP_TOKEN"
TIMEOUT_ENV = "SILAHAP_PERMIT_LOOKUP_TIMEOUT"
MAX_BODY = 16 * 1024


class LookupUnavailable(Exception):
    """The official status could not be had in time."""


@dataclass(frozen=True)
class OfficialStatus:
    found: bool
    source: str
    permit_type: str = ""
    permit_number: str = ""
    valid_until: datetime.date | None = None
    sponsor: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["valid_until"] = self.valid_until.isoformat() if self.valid_until else None
        return data


class PermitLookup(Protocol):
    def lookup(self, *, document_number: str, issuing_country: str) -> OfficialStatus: ...


class RegistryPermitLookup:
    """SiLAHAP's own registry: the latest permit of the person holding the document."""

    source = "registry"

    def lookup(self, *, document_number: str, issuing_country: str) -> OfficialStatus:
        number = validation.clean_document_number(document_number)
        document = TravelDocument.objects.filter(
            number=number, issuing_country=issuing_country
        ).first()
        if document is None:
            return OfficialStatus(found=False, source=self.source)
        permit = (
            StayPermit.objects.filter(person_id=document.person_id)
            .select_related("sponsor")
            .order_by("-valid_until", "-id")
            .first()
        )
        if permit is None:
            return OfficialStatus(found=False, source=self.source)
        return OfficialStatus(
            found=True,
            source=self.source,
            permit_type=permit.permit_type,
            permit_number=permit.number,
            valid_until=permit.valid_until,
            sponsor=permit.sponsor.name if permit.sponsor else "",
        )


class HttpPermitLookup:
    """A configurable HTTP endpoint (the shape above), never waiting past its timeout."""

    source = "http"

    def __init__(self, url: str, *, token: str = "", timeout: float = 3.0):
        self.url, self.token, self.timeout = url, token, timeout

    def lookup(self, *, document_number: str, issuing_country: str) -> OfficialStatus:
        query = urllib.parse.urlencode(
            {"document_number": document_number, "issuing_country": issuing_country}
        )
        request = urllib.request.Request(f"{self.url}?{query}", method="GET")
        request.add_header("Accept", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.status != 200:
                    raise LookupUnavailable(f"HTTP {response.status}")
                body = json.loads(response.read(MAX_BODY))
        except (OSError, ValueError, urllib.error.URLError) as error:
            raise LookupUnavailable(str(error)[:200]) from error
        if not isinstance(body, dict) or not isinstance(body.get("found"), bool):
            raise LookupUnavailable("unexpected answer")
        if not body["found"]:
            return OfficialStatus(found=False, source=self.source)
        valid_until = body.get("valid_until")
        return OfficialStatus(
            found=True,
            source=self.source,
            permit_type=str(body.get("permit_type") or "")[:20],
            permit_number=str(body.get("permit_number") or "")[:40],
            valid_until=dateparse.parse_date(valid_until) if isinstance(valid_until, str) else None,
            sponsor=str(body.get("sponsor") or "")[:200],
        )


def configured() -> PermitLookup:
    """The HTTP lookup when SILAHAP_PERMIT_LOOKUP_URL is set, else the registry."""
    url = os.environ.get(URL_ENV, "").strip()
    if not url:
        return RegistryPermitLookup()
    try:
        timeout = float(os.environ.get(TIMEOUT_ENV) or 3)
    except ValueError:
        timeout = 3.0
    return HttpPermitLookup(url, token=os.environ.get(TOKEN_ENV, ""), timeout=min(timeout, 10.0))
