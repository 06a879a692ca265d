import dataclasses
import string
from datetime import date

import pytest
from django.utils import timezone

from silahap.registry.mrz import MRZData, MRZError, parse_mrz

TODAY = date(2026, 3, 15)

# Specimens printed in ICAO 9303 parts 4 (passport) and 5 (ID card).
TD3_SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)
TD1_SPECIMEN = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
# ICAO 9303-11 Appendix D.2: a 12-character document number continued in the optional data.
TD1_LONG_NUMBER_SPECIMEN = (
    "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<"
)

CHARACTER_VALUES = {c: v for v, c in enumerate(string.digits + string.ascii_uppercase)} | {"<": 0}


def check_digit(data: str) -> str:
    return str(sum(CHARACTER_VALUES[c] * (7, 3, 1)[i % 3] for i, c in enumerate(data)) % 10)


def td3(
    *,
    document_type: str = "P<",
    issuing_country: str = "UTO",
    names: str = "ERIKSSON<<ANNA<MARIA",
    document_number: str = "L898902C3",
    nationality: str = "UTO",
    birth: str = "740812",
    sex: str = "F",
    expiry: str = "120415",
    personal_number: str = "ZE184226B",
    personal_check: str | None = None,
) -> str:
    """Build a passport MRZ with correct check digits unless told otherwise."""
    line1 = (document_type + issuing_country.ljust(3, "<") + names).ljust(44, "<")
    number = document_number.ljust(9, "<")
    personal = personal_number.ljust(14, "<")
    line2 = (
        number
        + check_digit(number)
        + nationality.ljust(3, "<")
        + birth
        + check_digit(birth)
        + sex
        + expiry
        + check_digit(expiry)
        + personal
        + (check_digit(personal) if personal_check is None else personal_check)
    )
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    return f"{line1}\n{line2}"


def td1(
    *,
    document_type: str = "I<",
    issuing_country: str = "UTO",
    document_number: str = "D23145890",
    optional_data: str = "",
    birth: str = "740812",
    sex: str = "F",
    expiry: str = "120415",
    nationality: str = "UTO",
    optional_data_2: str = "",
    names: str = "ERIKSSON<<ANNA<MARIA",
) -> str:
    """Build an ID card MRZ with correct check digits, long document numbers the ICAO way."""
    if len(document_number) > 9:
        number = (
            document_number[:9] + "<" + document_number[9:] + check_digit(document_number) + "<"
        )
    else:
        number = document_number.ljust(9, "<") + check_digit(document_number.ljust(9, "<"))
    line1 = (document_type + issuing_country.ljust(3, "<") + number + optional_data).ljust(30, "<")
    line2 = (
        birth
        + check_digit(birth)
        + sex
        + expiry
        + check_digit(expiry)
        + nationality.ljust(3, "<")
        + optional_data_2.ljust(11, "<")
    )
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return f"{line1}\n{line2}\n{names.ljust(30, '<')}"


def replace_character(mrz: str, line: int, position: int, new: str) -> str:
    lines = mrz.split("\n")
    lines[line] = lines[line][:position] + new + lines[line][position + 1 :]
    return "\n".join(lines)


def next_digit(mrz: str, line: int, position: int) -> str:
    return str((int(mrz.split("\n")[line][position]) + 1) % 10)


def test_builders_reproduce_the_icao_specimens():
    assert td3() == TD3_SPECIMEN
    assert td1() == TD1_SPECIMEN
    assert (
        td1(
            document_number="D23145890734",
            birth="340712",
            sex="M",
            expiry="950712",
            names="STEVENSON<<PETER<JOHN",
        )
        == TD1_LONG_NUMBER_SPECIMEN
    )


def test_icao_passport_specimen_is_parsed_into_every_field():
    assert parse_mrz(TD3_SPECIMEN, today=TODAY) == MRZData(
        format="TD3",
        document_type="P",
        issuing_country="UTO",
        document_number="L898902C3",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2012, 4, 15),
        optional_data="ZE184226B",
    )


def test_icao_id_card_specimen_is_parsed_into_every_field():
    assert parse_mrz(TD1_SPECIMEN, today=TODAY) == MRZData(
        format="TD1",
        document_type="I",
        issuing_country="UTO",
        document_number="D23145890",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2012, 4, 15),
        optional_data="",
        optional_data_2="",
    )


def test_parsed_mrz_cannot_be_changed():
    parsed = parse_mrz(TD3_SPECIMEN, today=TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.surname = "SMITH"  # type: ignore[misc]


def test_german_passport_keeps_the_one_letter_code_d():
    parsed = parse_mrz(
        td3(
            issuing_country="D",
            nationality="D",
            names="MUSTERMANN<<ERIKA",
            document_number="C01X00T47",
            personal_number="",
        ),
        today=TODAY,
    )
    assert (parsed.issuing_country, parsed.nationality) == ("D", "D")
    assert parsed.full_name == "ERIKA MUSTERMANN"


@pytest.mark.parametrize("code", ["XXA", "XXB", "XXC", "XXX", "UNO", "UNA", "GBD", "GBN", "EUE"])
def test_icao_codes_outside_iso_3166_are_returned_as_read(code):
    passport = parse_mrz(td3(issuing_country="D", nationality=code), today=TODAY)
    card = parse_mrz(td1(issuing_country=code, nationality=code), today=TODAY)
    assert passport.nationality == card.nationality == card.issuing_country == code


@pytest.mark.parametrize(("document_type", "expected"), [("P<", "P"), ("PD", "PD"), ("PO", "PO")])
def test_passport_document_type_drops_the_filler(document_type, expected):
    assert parse_mrz(td3(document_type=document_type), today=TODAY).document_type == expected


@pytest.mark.parametrize(
    ("document_type", "expected"), [("I<", "I"), ("ID", "ID"), ("AC", "AC"), ("C<", "C")]
)
def test_id_card_document_type_drops_the_filler(document_type, expected):
    assert parse_mrz(td1(document_type=document_type), today=TODAY).document_type == expected


@pytest.mark.parametrize(
    ("build", "document_type"),
    [(td3, "V<"), (td3, "I<"), (td3, "P1"), (td1, "P<"), (td1, "V<"), (td1, "I9")],
)
def test_document_type_that_does_not_fit_the_format_is_a_format_error(build, document_type):
    with pytest.raises(MRZError) as error:
        parse_mrz(build(document_type=document_type), today=TODAY)
    assert error.value.field == "format"
    assert repr(document_type) in str(error.value)


@pytest.mark.parametrize("build", [td3, td1])
@pytest.mark.parametrize(
    ("names", "surname", "given_names", "full_name"),
    [
        ("ERIKSSON<<ANNA<MARIA", "ERIKSSON", "ANNA MARIA", "ANNA MARIA ERIKSSON"),
        ("VAN<DER<BERG<<JAN<<PIETER", "VAN DER BERG", "JAN PIETER", "JAN PIETER VAN DER BERG"),
        ("SUKARNO", "SUKARNO", "", "SUKARNO"),
        ("SUKARNO<<", "SUKARNO", "", "SUKARNO"),
        ("A" * 30, "A" * 30, "", "A" * 30),
    ],
)
def test_names_split_at_double_filler_with_single_fillers_as_spaces(
    build, names, surname, given_names, full_name
):
    parsed = parse_mrz(build(names=names), today=TODAY)
    assert (parsed.surname, parsed.given_names, parsed.full_name) == (
        surname,
        given_names,
        full_name,
    )


@pytest.mark.parametrize("names", ["<<ANNA<MARIA", "", "ERIKSS0N<<ANNA", "ERIKSSON<<ANNA<1"])
def test_name_without_surname_or_with_digits_is_a_names_error(names):
    for mrz in (td3(names=names), td1(names=names)):
        with pytest.raises(MRZError) as error:
            parse_mrz(mrz, today=TODAY)
        assert error.value.field == "names"


@pytest.mark.parametrize(
    ("mrz", "line", "position", "field"),
    [
        (TD3_SPECIMEN, 1, 9, "document_number"),
        (TD3_SPECIMEN, 1, 19, "birth_date"),
        (TD3_SPECIMEN, 1, 27, "expiry_date"),
        (TD3_SPECIMEN, 1, 42, "optional_data"),
        (TD3_SPECIMEN, 1, 43, "composite"),
        (TD1_SPECIMEN, 0, 14, "document_number"),
        (TD1_SPECIMEN, 1, 6, "birth_date"),
        (TD1_SPECIMEN, 1, 14, "expiry_date"),
        (TD1_SPECIMEN, 1, 29, "composite"),
        (TD1_LONG_NUMBER_SPECIMEN, 0, 18, "document_number"),
        (TD1_LONG_NUMBER_SPECIMEN, 1, 29, "composite"),
    ],
)
def test_wrong_check_digit_is_reported_on_its_field(mrz, line, position, field):
    corrupted = replace_character(mrz, line, position, next_digit(mrz, line, position))
    with pytest.raises(MRZError) as error:
        parse_mrz(corrupted, today=TODAY)
    assert error.value.field == field
    assert "check digit" in str(error.value)


@pytest.mark.parametrize(
    ("mrz", "line", "position", "new", "field"),
    [
        (TD3_SPECIMEN, 1, 2, "7", "document_number"),
        (TD3_SPECIMEN, 1, 15, "5", "birth_date"),
        (TD3_SPECIMEN, 1, 25, "0", "expiry_date"),
        (TD3_SPECIMEN, 1, 30, "8", "optional_data"),
        (TD1_SPECIMEN, 0, 6, "0", "document_number"),
        (TD1_SPECIMEN, 1, 3, "9", "birth_date"),
        (TD1_SPECIMEN, 1, 9, "3", "expiry_date"),
        (TD1_LONG_NUMBER_SPECIMEN, 0, 16, "8", "document_number"),
        # TD1 optional data has no check digit of its own, so the composite must catch it.
        (TD1_SPECIMEN, 0, 20, "7", "composite"),
        (TD1_SPECIMEN, 1, 20, "7", "composite"),
    ],
)
def test_altered_data_is_caught_by_the_check_digit_covering_it(mrz, line, position, new, field):
    assert mrz.split("\n")[line][position] != new
    with pytest.raises(MRZError) as error:
        parse_mrz(replace_character(mrz, line, position, new), today=TODAY)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("mrz", "line", "position", "field"),
    [
        (TD3_SPECIMEN, 1, 9, "document_number"),
        (TD3_SPECIMEN, 1, 19, "birth_date"),
        (TD3_SPECIMEN, 1, 27, "expiry_date"),
        (TD3_SPECIMEN, 1, 42, "optional_data"),
        (TD3_SPECIMEN, 1, 43, "composite"),
        (TD1_SPECIMEN, 0, 14, "document_number"),
        (TD1_SPECIMEN, 1, 6, "birth_date"),
        (TD1_SPECIMEN, 1, 14, "expiry_date"),
        (TD1_SPECIMEN, 1, 29, "composite"),
    ],
)
def test_check_digit_position_holding_a_letter_or_filler_is_rejected(mrz, line, position, field):
    for new in ("A", "<"):
        with pytest.raises(MRZError) as error:
            parse_mrz(replace_character(mrz, line, position, new), today=TODAY)
        assert error.value.field == field


@pytest.mark.parametrize("personal_check", ["<", "0"])
def test_empty_personal_number_may_have_filler_or_zero_as_check_digit(personal_check):
    parsed = parse_mrz(td3(personal_number="", personal_check=personal_check), today=TODAY)
    assert parsed.optional_data == ""


def test_filled_personal_number_with_filler_check_digit_is_an_optional_data_error():
    with pytest.raises(MRZError) as error:
        parse_mrz(td3(personal_number="ZE184226B", personal_check="<"), today=TODAY)
    assert error.value.field == "optional_data"


def test_icao_long_document_number_specimen_is_joined_across_fields():
    parsed = parse_mrz(TD1_LONG_NUMBER_SPECIMEN, today=TODAY)
    assert parsed.document_number == "D23145890734"
    assert parsed.optional_data == ""
    assert parsed.full_name == "PETER JOHN STEVENSON"
    assert (parsed.birth_date, parsed.expiry_date) == (date(1934, 7, 12), date(1995, 7, 12))


@pytest.mark.parametrize(
    ("document_number", "optional_data"),
    [("ABC1234567", ""), ("D23145890734", "X12"), ("1234567890123456789012", "")],
)
def test_long_document_number_leaves_the_rest_as_optional_data(document_number, optional_data):
    mrz = td1(document_number=document_number, optional_data=optional_data)
    parsed = parse_mrz(mrz, today=TODAY)
    assert (parsed.document_number, parsed.optional_data) == (document_number, optional_data)


@pytest.mark.parametrize(
    "optional_field",
    [
        "<<<<<<<<<<<<<<<",  # nothing continues the number
        "7<<<<<<<<<<<<<<",  # a lone check digit, no continuation
        "734973497349734",  # no filler ends the continuation
    ],
)
def test_long_document_number_without_continuation_is_a_document_number_error(optional_field):
    lines = TD1_SPECIMEN.split("\n")
    lines[0] = "I<UTOD23145890<" + optional_field
    with pytest.raises(MRZError) as error:
        parse_mrz("\n".join(lines), today=TODAY)
    assert error.value.field == "document_number"


def test_td1_second_optional_field_is_returned_separately():
    parsed = parse_mrz(td1(optional_data="ABC<123", optional_data_2="XYZ987"), today=TODAY)
    assert (parsed.optional_data, parsed.optional_data_2) == ("ABC<123", "XYZ987")


@pytest.mark.parametrize("mrz", [TD3_SPECIMEN, TD1_SPECIMEN, TD1_LONG_NUMBER_SPECIMEN])
def test_mrz_pasted_as_one_line_parses_like_separate_lines(mrz):
    one_line = mrz.replace("\n", "")
    assert len(one_line) in (88, 90)
    assert parse_mrz(one_line, today=TODAY) == parse_mrz(mrz, today=TODAY)


@pytest.mark.parametrize("mrz", [TD3_SPECIMEN, TD1_SPECIMEN])
def test_lowercase_crlf_blank_lines_and_surrounding_whitespace_are_tolerated(mrz):
    lines = mrz.lower().split("\n")
    messy = "\r\n \r\n\t" + "  \r\n\r\n".join(lines) + " \t\r\n\n"
    assert parse_mrz(messy, today=TODAY) == parse_mrz(mrz, today=TODAY)


def test_one_line_paste_tolerates_surrounding_whitespace_and_lowercase():
    messy = "\n  " + TD3_SPECIMEN.replace("\n", "").lower() + "  \r\n"
    assert parse_mrz(messy, today=TODAY).document_number == "L898902C3"


@pytest.mark.parametrize(
    "mrz",
    [
        TD3_SPECIMEN.replace("ERIKSSON<<", "ERIKSSON< "),
        TD3_SPECIMEN.replace("\nL898902C3", "\nL898 902C3"),
        TD1_SPECIMEN.replace("I<UTO", "I<UT\tO"),
        TD3_SPECIMEN.replace("\n", " "),
        TD1_SPECIMEN.replace("\n", " "),
    ],
)
def test_space_inside_a_line_is_a_format_error(mrz):
    with pytest.raises(MRZError) as error:
        parse_mrz(mrz, today=TODAY)
    assert error.value.field == "format"
    assert "space" in str(error.value)


@pytest.mark.parametrize(
    "mrz",
    [
        "",
        " \r\n \n",
        TD3_SPECIMEN[:-1],
        TD3_SPECIMEN + "<",
        TD3_SPECIMEN.split("\n")[0],
        TD3_SPECIMEN + "\n" + TD3_SPECIMEN.split("\n")[1],
        TD1_SPECIMEN.rsplit("\n", 1)[0],
        TD1_SPECIMEN + "\n" + "<" * 30,
        TD1_SPECIMEN.replace("\n", "")[:-1],
        TD3_SPECIMEN.replace("\n", "") + "<",
        TD3_SPECIMEN.split("\n")[0] + "\n" + TD1_SPECIMEN.split("\n")[1],
        "P<UTOERIKSSON",
    ],
)
def test_wrong_number_or_length_of_lines_is_a_format_error(mrz):
    with pytest.raises(MRZError) as error:
        parse_mrz(mrz, today=TODAY)
    assert error.value.field == "format"
    assert "expected 2 lines of 44 characters (passport) or 3 lines of 30" in str(error.value)


def test_format_error_says_what_was_read():
    with pytest.raises(MRZError) as error:
        parse_mrz(TD3_SPECIMEN[:-1], today=TODAY)
    assert "got 2 lines of 44 and 43 characters" in str(error.value)


@pytest.mark.parametrize("character", ["«", "-", "é", "ß", "ı", ".", "Ｐ", "٣"])
def test_character_outside_the_mrz_alphabet_is_a_format_error(character):
    mrz = TD3_SPECIMEN.replace("ERIKSSON", "ERIKSSO" + character)
    with pytest.raises(MRZError) as error:
        parse_mrz(mrz, today=TODAY)
    assert error.value.field == "format"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth": "741312"}, "birth_date"),
        ({"birth": "740230"}, "birth_date"),
        ({"birth": "740000"}, "birth_date"),
        ({"birth": "7408<<"}, "birth_date"),
        ({"birth": "010229"}, "birth_date"),
        ({"expiry": "120431"}, "expiry_date"),
        ({"expiry": "120015"}, "expiry_date"),
        ({"expiry": "<<<<<<"}, "expiry_date"),
    ],
)
def test_impossible_date_with_correct_check_digit_is_an_error_on_that_date(changes, field):
    for build in (td3, td1):
        with pytest.raises(MRZError) as error:
            parse_mrz(build(**changes), today=TODAY)
        assert error.value.field == field


@pytest.mark.parametrize(
    ("birth", "today", "expected"),
    [
        ("260315", date(2026, 3, 15), date(2026, 3, 15)),
        ("260316", date(2026, 3, 15), date(1926, 3, 16)),
        ("251231", date(2026, 3, 15), date(2025, 12, 31)),
        ("991231", date(2026, 3, 15), date(1999, 12, 31)),
        ("000229", date(2026, 3, 15), date(2000, 2, 29)),
        ("000101", date(1999, 12, 31), date(1900, 1, 1)),
        ("991231", date(2000, 1, 1), date(1999, 12, 31)),
    ],
)
def test_birth_date_takes_the_latest_century_not_in_the_future(birth, today, expected):
    assert parse_mrz(td3(birth=birth), today=today).birth_date == expected
    assert parse_mrz(td1(birth=birth), today=today).birth_date == expected


def test_birth_date_defaults_to_the_real_today():
    today = timezone.localdate()
    assert parse_mrz(td3(birth=today.strftime("%y%m%d"))).birth_date == today


@pytest.mark.parametrize(
    ("expiry", "expected"),
    [
        ("120415", date(2012, 4, 15)),
        ("360101", date(2036, 1, 1)),
        ("760314", date(2076, 3, 14)),
        ("760315", date(1976, 3, 15)),
        ("990101", date(1999, 1, 1)),
    ],
)
def test_expiry_date_falls_within_fifty_years_of_today(expiry, expected):
    assert parse_mrz(td3(expiry=expiry), today=TODAY).expiry_date == expected
    assert parse_mrz(td1(expiry=expiry), today=TODAY).expiry_date == expected


@pytest.mark.parametrize(("raw", "expected"), [("M", "M"), ("F", "F"), ("X", "X"), ("<", "X")])
def test_sex_unspecified_by_filler_or_x_reads_as_x(raw, expected):
    assert parse_mrz(td3(sex=raw), today=TODAY).sex == expected
    assert parse_mrz(td1(sex=raw), today=TODAY).sex == expected


@pytest.mark.parametrize("raw", ["Q", "0", "W"])
def test_unknown_sex_is_a_sex_error(raw):
    for build in (td3, td1):
        with pytest.raises(MRZError) as error:
            parse_mrz(build(sex=raw), today=TODAY)
        assert error.value.field == "sex"


@pytest.mark.parametrize("code", ["U1O", "<<<", "<UT", "D<D", "123"])
def test_malformed_country_code_is_an_error_on_that_code(code):
    for changes, field in (
        ({"issuing_country": code}, "issuing_country"),
        ({"nationality": code}, "nationality"),
    ):
        for build in (td3, td1):
            with pytest.raises(MRZError) as error:
                parse_mrz(build(**changes), today=TODAY)
            assert error.value.field == field


@pytest.mark.parametrize("build", [td3, td1])
def test_empty_document_number_is_a_document_number_error(build):
    with pytest.raises(MRZError) as error:
        parse_mrz(build(document_number=""), today=TODAY)
    assert error.value.field == "document_number"


def test_short_document_number_drops_its_fillers():
    assert parse_mrz(td3(document_number="AB123"), today=TODAY).document_number == "AB123"
    assert parse_mrz(td1(document_number="AB123"), today=TODAY).document_number == "AB123"


def test_mrz_error_is_a_value_error_whose_message_names_the_field():
    corrupted = replace_character(TD3_SPECIMEN, 1, 9, "7")
    with pytest.raises(ValueError, match="Document number check digit is 7 but should be 6"):
        parse_mrz(corrupted, today=TODAY)
