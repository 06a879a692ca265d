"""Correcting an OCR'd MRZ: look-alikes resolved by classes and check digits, or flagged."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from silahap.registry.mrz import parse_mrz
from silahap.registry.mrz_correct import (
    LAYOUTS,
    LOOK_ALIKES,
    TD1,
    TD3,
    _accepts,
    correct,
    correct_text,
    lines_holding,
)
from silahap.testing.mrz import check_digit

ALPHANUMERIC = string.ascii_uppercase + string.digits


@st.composite
def valid_mrz(draw):
    """A TD3 or TD1 MRZ with every check digit right and look-alike-prone numbers."""
    prone = "0O1I2Z5S8B6G" + "ACKX3479"
    number = draw(st.text(prone, min_size=6, max_size=9))
    optional = draw(st.text(prone + "<", min_size=0, max_size=8))
    birth = f"{draw(st.integers(50, 99)):02d}{draw(st.integers(1, 12)):02d}"
    birth += f"{draw(st.integers(1, 28)):02d}"
    expiry = f"{draw(st.integers(27, 35)):02d}{draw(st.integers(1, 12)):02d}"
    expiry += f"{draw(st.integers(1, 28)):02d}"
    surname = draw(st.text(string.ascii_uppercase, min_size=2, max_size=12))
    if draw(st.booleans()):
        number_field = number.ljust(9, "<")
        personal = optional.ljust(14, "<")
        personal_check = "<" if personal == "<" * 14 else check_digit(personal)
        line2 = (
            f"{number_field}{check_digit(number_field)}GBR{birth}{check_digit(birth)}M"
            f"{expiry}{check_digit(expiry)}{personal}{personal_check}"
        )
        line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
        line1 = f"P<GBR{surname}<<ANNA".ljust(44, "<")
        return f"{line1}\n{line2}"
    number_field = number.ljust(9, "<")
    line1 = f"I<IDN{number_field}{check_digit(number_field)}{optional.ljust(15, '<')}"
    line2 = f"{birth}{check_digit(birth)}F{expiry}{check_digit(expiry)}NGA" + "<" * 11
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    line3 = f"{surname}<<ANNA".ljust(30, "<")
    return f"{line1}\n{line2}\n{line3}"


def _fields_at(layout, line: int, column: int) -> set[str]:
    names = set()
    for field in layout.fields:
        if (line, column) in field.positions or (line, column) == field.check:
            names.add(field.name)
    return names


def _resolvable(layout, lines: list[str], line: int, column: int, wrong: str) -> bool:
    """Whether classes and check digits single out one reading of the misread text."""
    misread = [list(row) for row in lines]
    if wrong in layout.classes[line][column]:
        misread[line][column] = wrong
    # else the class alone says which of the pair it is: the text is as printed.
    passing = []
    for changed_line, row in enumerate(misread):
        for changed_column, character in enumerate(row):
            partner = LOOK_ALIKES.get(character)
            if partner is None or partner not in layout.classes[changed_line][changed_column]:
                continue
            trial = [list(r) for r in misread]
            trial[changed_line][changed_column] = partner
            if _all_checks_pass(layout, trial):
                passing.append((changed_line, changed_column))
    if _all_checks_pass(layout, misread):
        return not passing  # a G/6 swap passes every check digit
    return len(passing) == 1


def _all_checks_pass(layout, rows) -> bool:

    for field in layout.fields:
        if field.check is None:
            continue
        values = tuple(rows[line][column] for line, column in field.positions)
        values += (rows[field.check[0]][field.check[1]],)
        if not _accepts(values):
            return False
    positions, (line, column) = layout.composite
    data = "".join(rows[row][col] for row, col in positions)
    return check_digit(data) == rows[line][column]


@settings(max_examples=150, deadline=None)
@given(valid_mrz(), st.data())
def test_every_single_look_alike_is_resolved_or_flagged(mrz, data):
    lines = mrz.splitlines()
    layout = LAYOUTS[tuple(len(line) for line in lines)]
    covered = [
        (line, column)
        for field in layout.fields
        for line, column in field.positions + ((field.check,) if field.check else ())
        if lines[line][column] in LOOK_ALIKES
    ]
    if not covered:
        return
    line, column = data.draw(st.sampled_from(covered))
    wrong = LOOK_ALIKES[lines[line][column]]
    misread = [list(row) for row in lines]
    misread[line][column] = wrong
    result = correct_text("\n".join("".join(row) for row in misread))
    truth = lines
    for name in _fields_at(layout, line, column):
        field = next(field for field in layout.fields if field.name == name)
        positions = field.positions + ((field.check,) if field.check else ())
        read = "".join(result.lines[row][col] for row, col in positions)
        right = "".join(truth[row][col] for row, col in positions)
        if _resolvable(layout, lines, line, column, wrong):
            assert read == right, (mrz, line, column, wrong)
            assert name not in result.unsure, (mrz, line, column, wrong)
        else:
            assert name in result.unsure or read == right, (mrz, line, column, wrong)
    # Whatever is not named unsure is exactly what was printed.
    for field in layout.fields:
        if field.name in result.unsure:
            continue
        for row, col in field.positions:
            assert result.lines[row][col] == truth[row][col], (mrz, field.name)


@settings(max_examples=60, deadline=None)
@given(valid_mrz())
def test_a_correct_reading_is_kept_and_only_g6_doubt_is_flagged(mrz):
    lines = mrz.splitlines()
    layout = LAYOUTS[tuple(len(line) for line in lines)]
    result = correct_text(mrz)
    assert list(result.lines) == lines
    for field in layout.fields:
        alnum = [
            lines[line][column]
            for line, column in field.positions
            if layout.classes[line][column] >= set("G6")
        ]
        if field.name in result.unsure:
            # Only the pair no check digit can tell apart makes a printed reading doubtful.
            assert {"G", "6"} & set(alnum), (mrz, field.name)


def test_letters_in_dates_become_the_digits_they_resemble():
    mrz = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    )
    misread = mrz.replace("7408122F1204159", "74O8I22FI2O4I59")
    result = correct_text(misread)
    assert "\n".join(result.lines) == mrz
    assert not {"birth_date", "expiry_date"} & result.unsure


def test_digits_in_names_and_country_codes_become_letters():
    misread = (
        "P<UT0ER1KSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<\nL898902C36UT07408122F1204159ZE184226B<<<<<10"
    )
    result = correct_text(misread)
    data = parse_mrz("\n".join(result.lines), unchecked=result.unsure)
    assert (data.surname, data.given_names, data.nationality) == ("ERIKSSON", "ANNA MARIA", "UTO")


def test_a_check_digit_misread_as_another_digit_leaves_its_field_unsure():
    misread = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408123F1204159ZE184226B<<<<<10"
    )
    result = correct_text(misread)
    assert "birth_date" in result.unsure
    data = parse_mrz("\n".join(result.lines), unchecked=result.unsure)
    assert data.birth_date is None
    assert data.document_number == "L898902C3"


def test_an_unread_position_is_filled_from_its_check_digit():
    printed = (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    )
    lines = [[{character: 0.99} for character in line] for line in printed.splitlines()]
    lines[1][15] = {}  # the "0" of 740812 was lost
    result = correct(lines)
    assert "\n".join(result.lines) == printed
    assert not result.unsure


def test_layouts_cover_every_position():
    for layout in (TD3, TD1):
        assert [len(classes) for classes in layout.classes] == list(layout.widths)
        assert all(classes for line in layout.classes for classes in line)
    assert set(LOOK_ALIKES) == set("0O1I2Z5S8B6G")
    assert all(character in ALPHANUMERIC for character in LOOK_ALIKES)


def test_the_lines_holding_a_field_are_where_icao_prints_it():
    assert lines_holding(TD3, {"document_number"}) == {1}
    assert lines_holding(TD3, {"names", "expiry_date"}) == {0, 1}
    assert lines_holding(TD1, {"document_number"}) == {0}
    assert lines_holding(TD1, {"optional_data"}) == {0, 1}
    assert lines_holding(TD1, {"names"}) == {2}
    assert lines_holding(TD1, set()) == set()
