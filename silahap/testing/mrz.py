"""Build valid machine-readable zones for tests and benchmarks (ICAO 9303 check digits)."""

from __future__ import annotations

import datetime

WEIGHTS = (7, 3, 1)


def check_digit(text: str) -> str:
    total = 0
    for index, char in enumerate(text):
        if char.isdigit():
            value = int(char)
        elif char.isalpha():
            value = ord(char) - 55
        else:
            value = 0
        total += value * WEIGHTS[index % 3]
    return str(total % 10)


def td3(
    *,
    surname: str,
    given_names: str,
    number: str,
    nationality: str,
    birth: datetime.date,
    sex: str,
    expiry: datetime.date,
    issuing: str | None = None,
) -> str:
    """A passport MRZ (two lines of 44) with every check digit right."""
    issuing = issuing or nationality
    names = f"{surname}<<{given_names.replace(' ', '<')}".upper()
    line1 = f"P<{issuing:<<3}{names}"[:44].ljust(44, "<")
    number_field = number.ljust(9, "<")
    birth_field, expiry_field = f"{birth:%y%m%d}", f"{expiry:%y%m%d}"
    personal = "<" * 14
    body = (
        number_field
        + check_digit(number_field)
        + nationality.ljust(3, "<")
        + birth_field
        + check_digit(birth_field)
        + sex
        + expiry_field
        + check_digit(expiry_field)
        + personal
        + "<"
    )
    composite = (
        number_field
        + check_digit(number_field)
        + birth_field
        + check_digit(birth_field)
        + expiry_field
        + check_digit(expiry_field)
        + personal
        + "<"
    )
    line2 = body + check_digit(composite)
    return f"{line1}\n{line2}"
