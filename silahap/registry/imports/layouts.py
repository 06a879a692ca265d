"""The documented column layouts of the two kinds of import (shown on the layout page and in the
downloadable CSV template). A file names its columns in the first row, in any order; columns not
listed here are ignored."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from silahap.registry.models import PermitType, TravelDocument
from silahap.registry.models_imports import ImportKind


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    kind: str  # text, name, date, country, document, choice, regency, visa_index
    required: bool = False
    max_length: int = 200
    choices: tuple[str, ...] = ()
    help: Promise | str = ""
    example: str = ""


SEX_CHOICES = ("M", "F", "X")
DOCUMENT_KINDS = tuple(TravelDocument.Kind.values)
PERMIT_TYPES = tuple(PermitType.values)

DATE_HELP = _("2025-03-31 or 31/03/2025")
COUNTRY_HELP = _("ISO code (ID, IDN) or the country's name in English or Indonesian")

PERSON_COLUMNS = (
    Column("full_name", _("Full name"), "name", True, 200, help=_("As in the passport"),
           example="ERIKSSON ANNA MARIA"),
    Column("nationality", _("Nationality"), "country", True, help=COUNTRY_HELP, example="SE"),
    Column("document_number", _("Document number"), "document", True, 20,
           help=_("Letters and digits; spaces and dashes are removed"), example="L898902C3"),
    Column("document_country", _("Issuing country"), "country", help=_("Empty: the nationality"),
           example="SWE"),
    Column("document_kind", _("Document kind"), "choice", choices=DOCUMENT_KINDS,
           help=_("Empty: passport"), example="passport"),
    Column("document_expiry", _("Document expiry"), "date", help=DATE_HELP, example="2030-04-15"),
    Column("sex", _("Sex"), "choice", choices=SEX_CHOICES, help=_("M, F or X"), example="F"),
    Column("birth_date", _("Date of birth"), "date", help=DATE_HELP, example="12/08/1974"),
    Column("birth_place", _("Place of birth"), "text", max_length=100, example="Stockholm"),
    Column("occupation", _("Occupation"), "text", max_length=150, example="Engineer"),
    Column("address", _("Address in Indonesia"), "text", max_length=500,
           example="Jl. Daan Mogot 12, Tangerang"),
    Column("permit_type", _("Stay permit type"), "choice", choices=PERMIT_TYPES,
           help=_("Empty: no permit in this row"), example="ITAS"),
    Column("permit_number", _("Stay permit number"), "text", max_length=40, example="2C11AB1234"),
    Column("visa_index", _("Visa index"), "visa_index", max_length=10, example="E33G"),
    Column("permit_issued_on", _("Permit issued on"), "date", help=DATE_HELP,
           example="2025-01-10"),
    Column("permit_valid_until", _("Permit valid until"), "date", help=DATE_HELP,
           example="2026-01-09"),
)  # fmt: skip

LODGING_COLUMNS = (
    Column("guest_name", _("Guest name"), "name", True, 200, help=_("As in the passport"),
           example="ERIKSSON ANNA MARIA"),
    Column("document_number", _("Document number"), "document", True, 20,
           help=_("The passport number the guest registered with"), example="L898902C3"),
    Column("nationality", _("Nationality"), "country", True, help=COUNTRY_HELP,
           example="Sweden"),
    Column("lodging", _("Lodging"), "text", True, 200, help=_("The hotel's or place's name"),
           example="Hotel Bandara Indah"),
    Column("lodging_regency", _("Lodging regency/city code"), "regency", max_length=5,
           help=_("Kemendagri code such as 36.71; may be empty when the office's work area is "
                  "one regency/city"), example="36.71"),
    Column("lodging_address", _("Lodging address"), "text", max_length=500,
           example="Jl. Husein Sastranegara 1"),
    Column("check_in", _("Check-in"), "date", True, help=DATE_HELP, example="2025-03-01"),
    Column("check_out", _("Check-out"), "date", help=_("Empty while the guest stays"),
           example="04/03/2025"),
)  # fmt: skip

# Keyed by the kind's value: a job's `kind` and a URL's are plain strings.
LAYOUTS: dict[str, tuple[Column, ...]] = {
    ImportKind.PERSONS: PERSON_COLUMNS,
    ImportKind.LODGING: LODGING_COLUMNS,
}
_LABELS = {column.key: column.label for columns in LAYOUTS.values() for column in columns}


def column_label(key: str) -> str:
    return str(_LABELS.get(key, key))


def header_key(text: str) -> str:
    """How a header cell is compared with a column key: case, spaces and dashes do not matter."""
    return "_".join(str(text or "").strip().lstrip("\ufeff").lower().replace("-", " ").split())


def template_csv(kind: str) -> str:
    """The header and one example row; the example holds nothing a spreadsheet would run."""
    columns = LAYOUTS[kind]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.key for column in columns])
    writer.writerow([column.example for column in columns])
    return buffer.getvalue()
