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


@cache
def _pycountry_catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def indonesian_name(alpha_2: str) -> str | None:
    country = pycountry.countries.get(alpha_2=alpha_2)
    if country is None:
        return None
    return _pycountry_catalogue("id").gettext(country.name)


class NationalityCountries(Countries):
    override = {STATELESS: _("Stateless"), UNKNOWN: _("Unknown nationality")}
    first = []

    @property
    def countries(self):  # type: ignore[override]
        names = super().countries
        if translation.get_language() == "id":
            names = {
                code: (indonesian_name(code) or name) if code not in self.override else name
                for code, name in names.items()
            }
        return names
