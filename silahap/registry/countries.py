"""Nationalities: ISO 3166 countries with Indonesian names, plus stateless and unknown.

django-countries ships no Indonesian names; pycountry ships the iso3166-1 translations, so
Indonesian names are read from pycountry's catalogue when the active language is Indonesian.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import Countries

STATELESS = "XA"  # ICAO 9303 XXA
UNKNOWN = "ZZ"  # ICAO 9303 XXX (unspecified)

# ICAO Doc 9303 Part 3 codes that are not ISO 3166-1 alpha-3, mapped to what NationalityField
# stores. Refugees (XXB: 1951 Convention, XXC: other) are recorded as stateless because the
# field has no refugee code and their travel document names no nationality. UN documents
# (UNO, UNA) and UNMIK's Kosovo documents (UNK) name no nationality either, hence unknown.
ICAO_SPECIAL_CODES: dict[str, str] = {
    "D": "DE",
    "XXA": STATELESS,
    "XXB": STATELESS,
    "XXC": STATELESS,
    "XXX": UNKNOWN,
    "GBD": "GB",  # British Overseas Territories Citizen
    "GBN": "GB",  # British National (Overseas)
    "GBO": "GB",  # British Overseas Citizen
    "GBP": "GB",  # British Protected Person
    "GBS": "GB",  # British Subject
    "UNO": UNKNOWN,
    "UNA": UNKNOWN,
    "UNK": UNKNOWN,
}
# An issuer, never a nationality: the EU's laissez-passer; the holder's nationality is elsewhere.
ICAO_NOT_A_NATIONALITY = frozenset({"EUE"})


@cache
def _pycountry_catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@cache
def _indonesian_names() -> dict[str, str]:
    """Alpha-2 → Indonesian name, for the countries pycountry's catalogue translates."""
    catalogue = _pycountry_catalogue("id")
    names = {}
    for country in pycountry.countries:
        translated = catalogue.gettext(country.name)
        if translated != country.name:
            names[country.alpha_2] = translated
    return names


def indonesian_name(alpha_2: str) -> str | None:
    country = pycountry.countries.get(alpha_2=alpha_2)
    if country is None:
        return None
    return _indonesian_names().get(country.alpha_2, country.name)


def nationality_from_icao(code: str) -> str | None:
    """The NationalityField code for an ICAO 9303 country code read from an MRZ, or None."""
    code = code.strip().rstrip("<").upper()
    if not code or code in ICAO_NOT_A_NATIONALITY:
        return None
    if code in ICAO_SPECIAL_CODES:
        return ICAO_SPECIAL_CODES[code]
    if len(code) != 3:
        return None
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2 if country is not None else None


class NationalityCountries(Countries):
    override = {STATELESS: _("Stateless"), UNKNOWN: _("Unknown nationality")}
    first: list[str] = []

    @property
    def countries(self):
        names = super().countries
        if translation.get_language() != "id":
            return names
        # Every name lookup reads this property, so the Indonesian dict is built once per
        # English dict (which django-countries itself caches) rather than on each lookup.
        cached = self.__dict__.get("_indonesian_countries")
        if cached is None or cached[0] is not names:
            indonesian = _indonesian_names()
            cached = (
                names,
                {
                    code: name if code in self.override else indonesian.get(code, name)
                    for code, name in names.items()
                },
            )
            self.__dict__["_indonesian_countries"] = cached
        return cached[1]
