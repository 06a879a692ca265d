"""What makes registry data plausible; shared by the forms (messages beside the fields) and the
services (the last word, whatever calls them).

Document numbers (ICAO Doc 9303): the machine-readable zone holds A–Z and 0–9 only, so a
number is stored in that form (spaces dropped, upper case). A passport's number field in the
TD3 MRZ is 9 characters long, so a passport number has 1 to 9. Identity cards (TD1) carry longer
numbers in their optional-data overflow, and some travel documents (SPLP, refugee documents)
have no MRZ at all: for those kinds 1 to 20 characters, the stored field's limit, are accepted.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from silahap.registry.models import TravelDocument

EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
MRZ_DOCUMENT_NUMBER_LENGTH = 9
LONGEST_DOCUMENT_NUMBER = 20
DOCUMENT_CHARACTERS = re.compile(r"^[A-Z0-9]+$")


def clean_document_number(number: str) -> str:
    """The stored form of a typed number: no spaces or dashes, upper case."""
    return re.sub(r"[\s\-]", "", number or "").upper()


def document_number_error(number: str, kind: str) -> str | None:
    """Why a (cleaned) document number cannot be right for its kind, or None."""
    if not number:
        return _("Enter the document number.")
    if not DOCUMENT_CHARACTERS.match(number):
        return _("Use only letters A–Z and digits 0–9, as in the passport's MRZ.")
    if kind == TravelDocument.Kind.PASSPORT and len(number) > MRZ_DOCUMENT_NUMBER_LENGTH:
        return _("A passport number has at most 9 characters (ICAO 9303).")
    if len(number) > LONGEST_DOCUMENT_NUMBER:
        return _("A document number has at most 20 characters.")
    return None


def birth_date_error(birth_date: datetime.date | None) -> str | None:
    if birth_date is None:
        return None
    if birth_date > timezone.localdate():
        return _("A date of birth cannot be in the future.")
    if birth_date < EARLIEST_BIRTH_DATE:
        return _("A date of birth before 1900 is not plausible.")
    return None


def permit_dates_errors(
    issued_on: datetime.date | None, valid_until: datetime.date | None
) -> dict[str, str]:
    errors = {}
    if issued_on is not None and issued_on > timezone.localdate():
        errors["issued_on"] = _("A permit cannot be issued in the future.")
    if issued_on is not None and valid_until is not None and valid_until < issued_on:
        errors["valid_until"] = _("A permit must be valid until a date after it was issued.")
    return errors


def raise_errors(errors: Mapping[str, str | None]) -> None:
    """Raise one ValidationError naming every field at fault, if any is."""
    errors = {field: message for field, message in errors.items() if message}
    if errors:
        raise ValidationError(errors)
