"""Turn one row's cells into typed values, or say what is wrong with it (without the database)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from functools import cache, lru_cache

import pycountry
from django.utils import timezone
from django_countries import countries as django_countries

from silahap.registry import validation
from silahap.registry.countries import (
    STATELESS,
    UNKNOWN,
    _indonesian_names,
    nationality_from_icao,
)
from silahap.registry.imports.layouts import Column
from silahap.registry.imports.reading import Formula
from silahap.registry.normalize import normalize_name

# A text cell a spreadsheet would run as a formula (OWASP "CSV injection"), tab and CR included.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")
SEX_WORDS = {
    "m": "M", "male": "M", "l": "M", "laki-laki": "M", "pria": "M",
    "f": "F", "female": "F", "p": "F", "perempuan": "F", "wanita": "F",
    "x": "X",
}  # fmt: skip

Problem = tuple[str, dict]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().replace(",", " ").split())


@cache
def _country_names() -> dict[str, str]:
    """Folded names and codes → the stored alpha-2 code."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for name in (
            country.name,
            getattr(country, "official_name", None),
            getattr(country, "common_name", None),
        ):
            if name:
                names.setdefault(_fold(name), code)
    for code, name in django_countries.countries.items():
        names.setdefault(_fold(str(name)), code)
    for code, name in _indonesian_names().items():
        names.setdefault(_fold(name), code)
    names.update({"stateless": STATELESS, "tanpa kewarganegaraan": STATELESS})
    names.update({"unknown": UNKNOWN})
    return names


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """ISO alpha-2 or alpha-3, an ICAO 9303 code (D, XXA, GBD...), or a name in English or
    Indonesian."""
    text = text.strip()
    upper = text.upper()
    if len(upper) == 2 and upper.isalpha():
        if upper in (STATELESS, UNKNOWN) or pycountry.countries.get(alpha_2=upper):
            return upper
        return None
    if upper == "D" or (len(upper) == 3 and upper.isalpha()):
        return nationality_from_icao(upper)
    return _country_names().get(_fold(text))


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return _parse_date_text(str(value).strip())


@lru_cache(maxsize=4096)
def _parse_date_text(text: str) -> datetime.date | None:
    match = ISO_DATE.match(text)
    try:
        if match:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        match = DMY_DATE.match(text)
        if match:
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def check_cells(
    columns: tuple[Column, ...], cells: dict, *, visa_indexes: dict, regencies: set[str]
) -> tuple[dict, list[Problem]]:
    """The typed values of a row's columns, and what is wrong with them."""
    values: dict = {}
    problems: list[Problem] = []
    for column in columns:
        raw = cells.get(column.key)
        if isinstance(raw, Formula):
            problems.append(("formula", {"column": column.key}))
            continue
        if column.kind == "date" and isinstance(raw, datetime.date):
            values[column.key] = parse_date(raw)
            continue
        text = as_text(raw)
        if text.startswith(FORMULA_STARTS) or (
            isinstance(raw, str) and raw.startswith(FORMULA_STARTS)
        ):
            problems.append(("formula", {"column": column.key}))
            continue
        if not text:
            if column.required:
                problems.append(("required", {"column": column.key}))
            values[column.key] = None if column.kind in ("date", "country") else ""
            continue
        if len(text) > column.max_length:
            problems.append(("too_long", {"column": column.key, "limit": column.max_length}))
            continue
        problem = _typed(column, text, values, visa_indexes=visa_indexes, regencies=regencies)
        if problem:
            problems.append(problem)
    return values, problems


def _typed(column: Column, text: str, values: dict, *, visa_indexes, regencies) -> Problem | None:
    key = column.key
    shown = text[:40]
    if column.kind == "date":
        values[key] = parse_date(text)
        return None if values[key] else ("bad_date", {"column": key})
    if column.kind == "country":
        values[key] = country_code(text)
        return None if values[key] else ("bad_nationality", {"column": key, "value": shown})
    if column.kind == "name":
        values[key] = " ".join(text.split())
        if not normalize_name(values[key]).strip("0123456789 "):
            return ("bad_name", {"column": key})
        return None
    if column.kind == "document":
        number = validation.clean_document_number(text)
        values[key] = number
        if not validation.DOCUMENT_CHARACTERS.match(number):
            return ("document_characters", {"column": key})
        return None
    if column.kind == "choice":
        value = SEX_WORDS.get(text.lower()) if key == "sex" else None
        value = value or next((c for c in column.choices if c.lower() == text.lower()), None)
        values[key] = value
        if value is None:
            return (
                "bad_choice",
                {"column": key, "value": shown, "choices": ", ".join(column.choices)},
            )
        return None
    if column.kind == "visa_index":
        values[key] = visa_indexes.get(text.upper())
        return (
            None if values[key] else ("bad_choice", {"column": key, "value": shown, "choices": "…"})
        )
    if column.kind == "regency":
        values[key] = text
        ok = REGENCY_CODE.match(text) and text in regencies
        return None if ok else ("unknown_regency", {"value": shown})
    values[key] = text
    return None


def person_problems(values: dict) -> list[Problem]:
    """What makes a persons-file row implausible beyond its single cells."""
    problems: list[Problem] = []
    number = values.get("document_number")
    is_passport = (values.get("document_kind") or "passport") == "passport"
    if number and is_passport and len(number) > validation.MRZ_DOCUMENT_NUMBER_LENGTH:
        problems.append(("passport_too_long", {"column": "document_number"}))
    birth = values.get("birth_date")
    today = timezone.localdate()
    if birth and birth > today:
        problems.append(("birth_in_future", {}))
    elif birth and birth < validation.EARLIEST_BIRTH_DATE:
        problems.append(("birth_before_1900", {}))
    issued, until = values.get("permit_issued_on"), values.get("permit_valid_until")
    if values.get("permit_type"):
        if issued and issued > today:
            problems.append(("issued_in_future", {}))
        if issued and until and until < issued:
            problems.append(("valid_before_issue", {}))
        visa = values.get("visa_index")
        if visa and visa[1] != values["permit_type"]:
            problems.append(("visa_index_mismatch", {"value": visa[2]}))
    return problems


def lodging_problems(values: dict) -> list[Problem]:
    check_in, check_out = values.get("check_in"), values.get("check_out")
    if check_in and check_out and check_out < check_in:
        return [("check_out_before_check_in", {})]
    return []
