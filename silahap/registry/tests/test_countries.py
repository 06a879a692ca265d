import pytest
from django.utils import translation

from silahap.registry.countries import (
    STATELESS,
    UNKNOWN,
    NationalityCountries,
    indonesian_name,
    nationality_from_icao,
)


@pytest.fixture
def countries() -> NationalityCountries:
    return NationalityCountries()


def test_country_names_are_indonesian_when_the_language_is_indonesian(countries):
    with translation.override("id"):
        assert countries.name("DE") == "Jerman"
        assert countries.name("US") == "Amerika Serikat"


def test_country_names_are_english_otherwise(countries):
    with translation.override("en"):
        assert countries.name("DE") == "Germany"
        assert countries.name("US") == "United States of America"


def test_switching_language_switches_names_on_the_same_instance(countries):
    with translation.override("id"):
        assert countries.name("NL") == "Belanda"
    with translation.override("en"):
        assert countries.name("NL") == "Netherlands"
    with translation.override("id"):
        assert countries.name("NL") == "Belanda"


def test_a_country_pycountry_does_not_translate_keeps_its_name(countries):
    # Angola is Angola in Indonesian too; the catalogue has no entry for it.
    with translation.override("id"):
        assert countries.name("AO") == "Angola"


def test_stateless_and_unknown_are_choices_in_both_languages(countries):
    for language in ("id", "en"):
        with translation.override(language):
            codes = {code for code, _name in countries}
            assert {STATELESS, UNKNOWN} <= codes


def test_stateless_and_unknown_have_english_names(countries):
    with translation.override("en"):
        assert countries.name(STATELESS) == "Stateless"
        assert countries.name(UNKNOWN) == "Unknown nationality"


def test_stateless_and_unknown_keep_their_translatable_names_in_indonesian(countries):
    # Their names come from our catalogue (gettext), not pycountry's, so they are never English
    # country names passed through pycountry.
    with translation.override("id"):
        assert countries.name(STATELESS) == str(NationalityCountries.override[STATELESS])
        assert countries.name(UNKNOWN) == str(NationalityCountries.override[UNKNOWN])


def test_choices_are_sorted_by_the_name_shown(countries):
    # Germany sorts before the Netherlands in English; Belanda before Jerman in Indonesian.
    with translation.override("en"):
        names = [name for _code, name in countries]
        assert names.index("Germany") < names.index("Netherlands")
    with translation.override("id"):
        names = [name for _code, name in countries]
        assert names.index("Belanda") < names.index("Jerman")


def test_indonesian_name_of_a_code():
    assert indonesian_name("JP") == "Jepang"
    assert indonesian_name("QQ") is None


@pytest.mark.parametrize(
    ("icao", "expected"),
    [
        ("DEU", "DE"),
        ("AUS", "AU"),
        ("CHN", "CN"),
        ("USA", "US"),
        ("IDN", "ID"),
        ("NLD", "NL"),
        ("GBR", "GB"),
        ("D", "DE"),
        ("D<<", "DE"),
        ("aus", "AU"),
        (" RUS ", "RU"),
        ("XXA", STATELESS),
        ("XXB", STATELESS),
        ("XXC", STATELESS),
        ("XXX", UNKNOWN),
        ("GBD", "GB"),
        ("GBN", "GB"),
        ("GBO", "GB"),
        ("GBP", "GB"),
        ("GBS", "GB"),
        ("UNO", UNKNOWN),
        ("UNA", UNKNOWN),
        ("UNK", UNKNOWN),
    ],
)
def test_nationality_from_icao_maps_mrz_codes(icao, expected):
    assert nationality_from_icao(icao) == expected


@pytest.mark.parametrize("icao", ["EUE", "QQQ", "XOM", "RKS", "", "<<<", "DE", "DEUT", "12A"])
def test_nationality_from_icao_gives_none_for_codes_that_name_no_nationality(icao):
    assert nationality_from_icao(icao) is None


def test_every_code_nationality_from_icao_returns_is_a_nationality_choice(countries):
    codes = {code for code, _name in countries}
    for icao in ["DEU", "D", "XXA", "XXB", "XXX", "GBD", "UNO", "IDN", "TLS", "SSD"]:
        assert nationality_from_icao(icao) in codes
