"""normalize_name: what search and duplicate detection compare."""

import pytest

from silahap.registry.normalize import normalize_name


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("Zhang Wei", "wei zhang"),
        ("ZHANG  wei", "wei zhang"),
        ("José María Fernández", "fernandez jose maria"),
        ("Đặng Văn Đức", "dang duc van"),
        ("Søren Kierkegaard", "kierkegaard soren"),
        ("Łukasz Müller-Weiß", "lukasz muller weiss"),
        ("Seán O'Brien", "obrien sean"),
        ("İlkay Gündoğan", "gundogan ilkay"),
        ("  ", ""),
    ],
)
def test_names_are_lower_case_ascii_words_in_order(name, normalized):
    assert normalize_name(name) == normalized
