"""Machine-readable zones of passports (TD3) and ID cards (TD1), as laid down in ICAO Doc 9303."""

import dataclasses
import itertools
import string
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.utils import timezone

MRZField = Literal[
    "document_number",
    "birth_date",
    "expiry_date",
    "optional_data",
    "composite",
    "format",
    "sex",
    "nationality",
    "issuing_country",
    "names",
    "photo",
]

FILLER = "<"
EXPECTED_SHAPE = "expected 2 lines of 44 characters (passport) or 3 lines of 30 (ID card)"
MRZ_CHARACTERS = frozenset(string.ascii_uppercase + string.digits + FILLER)
# str.upper() turns "ß" into "SS" and would shift every later position, so only ASCII is folded;
# anything else is left for the character check to reject.
ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
CHECK_WEIGHTS = (7, 3, 1)
CHARACTER_VALUES = {
    **{character: value for value, character in enumerate(string.digits)},
    **{character: value for value, character in enumerate(string.ascii_uppercase, start=10)},
    FILLER: 0,
}


# A photo's names read less surely than this (the least sure letter's probability) are read
# again from the second cut of the line: no check digit covers them, and on the generated corpus
# a misread name came with the lowest confidence of all.
NAMES_SURE = 0.5


class MRZError(ValueError):
    """An MRZ that cannot be trusted; `field` says which form field to show the message beside."""

    def __init__(self, field: MRZField, message: str) -> None:
        super().__init__(message)
        self.field: MRZField = field
        self.message = message


@dataclass(frozen=True, kw_only=True)
class MRZData:
    format: Literal["TD3", "TD1"]
    document_type: str
    issuing_country: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    # None only in a photo's reading whose check digit failed (DocumentReading.unsure names it).
    birth_date: date | None
    sex: Literal["M", "F", "X"]
    expiry_date: date | None
    optional_data: str
    # TD1 has a second optional data field on line 2; a passport has only the personal number.
    optional_data_2: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}" if self.given_names else self.surname


def parse_mrz(
    text: str, *, today: date | None = None, unchecked: frozenset[MRZField] = frozenset()
) -> MRZData:
    """Parse a TD3 or TD1 machine-readable zone, verifying every check digit.

    Fields named in `unchecked` (a photo's reading that their check digit could not confirm) are
    neither verified nor filled: they come back empty for the officer to type.
    """
    today = today or timezone.localdate()
    lines = _mrz_lines(text)
    if len(lines) == 2:
        data = _parse_td3(lines[0], lines[1], today=today, unchecked=unchecked)
    else:
        data = _parse_td1(lines[0], lines[1], lines[2], today=today, unchecked=unchecked)
    if "optional_data" in unchecked:
        data = dataclasses.replace(data, optional_data="", optional_data_2="")
    return data


@dataclass(frozen=True)
class DocumentReading:
    """What a photo of a document page said: `data` without the fields named in `unsure`."""

    data: MRZData
    unsure: frozenset[MRZField]
    # The reader's confidence (0 to 1) in the fields no check digit covers.
    confidence: dict[str, float]
    # The MRZ band as the reader saw it (JPEG), to show beside the fields it filled.
    crop_jpeg: bytes
    text: str


def read_document_photo(data: bytes, *, today: date | None = None) -> DocumentReading:
    """Read the MRZ of a photographed passport page or ID card; MRZError("photo") if it cannot."""
    from silahap.registry import mrz_correct, mrz_photo  # noqa: PLC0415 — mrz_correct imports this module; mrz_photo loads OpenCV

    try:
        image = mrz_photo.decode(data)
        bands = mrz_photo.find_bands(image)
    except mrz_photo.PhotoError as error:
        raise MRZError("photo", f"No readable MRZ in the photo: {error}") from error
    best: tuple[tuple[int, float], DocumentReading, mrz_photo.Band] | None = None
    failure: Exception | None = None
    for band in bands[: mrz_photo.MOST_BANDS]:
        # Each line as read by each way of cutting it: a line the first cut misread is often
        # right in the second, and the check digits say which reading of each line to keep.
        readings: list[list] = [[] for _ in band.lines]
        for cut, variant in enumerate(mrz_photo.VARIANTS):
            # The second cut reads again only the lines that hold what the first left unsure.
            wanted = None if cut == 0 or best is None else _lines_to_read_again(best[1])
            for index, line in enumerate(mrz_photo.read_lines(image, band, variant, wanted)):
                if line is not None:
                    readings[index].append(line)
            for lines in itertools.product(*readings):
                try:
                    corrected = mrz_correct.correct(lines)
                    text = "\n".join(corrected.lines)
                    parsed = parse_mrz(text, today=today, unchecked=corrected.unsure)
                except (mrz_correct.Unreadable, MRZError) as error:
                    failure = error
                    continue
                rank = (len(corrected.unsure), -sum(corrected.confidence.values()))
                if best is None or rank < best[0]:
                    reading = DocumentReading(
                        data=parsed,
                        unsure=corrected.unsure,
                        confidence=dict(corrected.confidence),
                        crop_jpeg=b"",
                        text=text,
                    )
                    best = (rank, reading, band)
            if _settled(best) or best is None or best[2] is not band:
                # Settled, or this band gave nothing worth a second cut: on the corpus the
                # first cut of a real MRZ always gave a reading, and a page of other text
                # costs one cut a band, not two.
                break
        if _settled(best):
            break
    if best is None:
        raise MRZError("photo", f"No readable MRZ in the photo: {failure or 'nothing read'}")
    _, reading, band = best
    return dataclasses.replace(reading, crop_jpeg=mrz_photo.band_crop(image, band))


def _lines_to_read_again(reading: DocumentReading) -> set[int]:
    from silahap.registry import mrz_correct  # noqa: PLC0415 — mrz_correct imports this module

    layout = mrz_correct.TD3 if reading.data.format == "TD3" else mrz_correct.TD1
    doubtful: set[str] = set(reading.unsure)
    if reading.confidence.get("names", 1.0) < NAMES_SURE:
        doubtful.add("names")
    return mrz_correct.lines_holding(layout, doubtful)


def _settled(best) -> bool:
    """Every check digit passes and the names were read surely: no other cut is worth reading."""
    if best is None:
        return False
    reading = best[1]
    return not reading.unsure and reading.confidence.get("names", 1.0) >= NAMES_SURE


def _mrz_lines(text: str) -> list[str]:
    lines = [line.strip().translate(ASCII_UPPER) for line in text.splitlines()]
    lines = [line for line in lines if line]
    for line_number, line in enumerate(lines, start=1):
        for position, character in enumerate(line, start=1):
            # A space inside a line means OCR split or invented a character; dropping it could
            # shift every later field onto a plausible but wrong value.
            if character.isspace():
                raise MRZError(
                    "format",
                    f"Line {line_number} has a space at position {position}; MRZ lines have no "
                    f"spaces ({EXPECTED_SHAPE}).",
                )
    if len(lines) == 1 and len(lines[0]) in (88, 90):
        width = 44 if len(lines[0]) == 88 else 30
        lines = [lines[0][start : start + width] for start in range(0, len(lines[0]), width)]
    if [len(line) for line in lines] not in ([44, 44], [30, 30, 30]):
        raise MRZError(
            "format", f"The MRZ has the wrong shape: {EXPECTED_SHAPE}, got {_shape(lines)}."
        )
    for line_number, line in enumerate(lines, start=1):
        for position, character in enumerate(line, start=1):
            if character not in MRZ_CHARACTERS:
                raise MRZError(
                    "format",
                    f"Line {line_number} has {character!r} at position {position}; an MRZ holds "
                    "only A-Z, 0-9 and <.",
                )
    return lines


def _shape(lines: list[str]) -> str:
    if not lines:
        return "no text"
    lengths = [str(len(line)) for line in lines]
    if len(lines) == 1:
        return f"1 line of {lengths[0]} characters"
    return f"{len(lines)} lines of {', '.join(lengths[:-1])} and {lengths[-1]} characters"


def _parse_td3(line1: str, line2: str, *, today: date, unchecked: frozenset[MRZField]) -> MRZData:
    document_type = _document_type(line1[0:2], first_letters="P", document="passport")
    issuing_country = _country_code(line1[2:5], "issuing_country", "Issuing country")
    surname, given_names = _names(line1[5:44])
    document_number = (
        "" if "document_number" in unchecked else _document_number(line2[0:9], line2[9])
    )
    nationality = _country_code(line2[10:13], "nationality", "Nationality")
    birth_date = (
        None if "birth_date" in unchecked else _birth_date(line2[13:19], line2[19], today=today)
    )
    sex = _sex(line2[20])
    expiry_date = (
        None if "expiry_date" in unchecked else _expiry_date(line2[21:27], line2[27], today=today)
    )
    personal_number, personal_check = line2[28:42], line2[42]
    # ICAO 9303-4 lets an all-filler personal number carry < instead of its check digit (0).
    if "optional_data" not in unchecked and not (
        personal_check == FILLER and personal_number == FILLER * 14
    ):
        _verify("optional_data", "Personal number", personal_number, personal_check)
    if not unchecked:
        _verify("composite", "Composite", line2[0:10] + line2[13:20] + line2[21:43], line2[43])
    return MRZData(
        format="TD3",
        document_type=document_type,
        issuing_country=issuing_country,
        document_number=document_number,
        surname=surname,
        given_names=given_names,
        nationality=nationality,
        birth_date=birth_date,
        sex=sex,
        expiry_date=expiry_date,
        optional_data=personal_number.strip(FILLER),
    )


def _parse_td1(
    line1: str, line2: str, line3: str, *, today: date, unchecked: frozenset[MRZField]
) -> MRZData:
    document_type = _document_type(line1[0:2], first_letters="IAC", document="ID card")
    issuing_country = _country_code(line1[2:5], "issuing_country", "Issuing country")
    surname, given_names = _names(line3)
    if "document_number" in unchecked:
        document_number, optional_data = "", ""
    elif line1[14] == FILLER:
        document_number, optional_data = _long_document_number(line1[5:14], line1[15:30])
    else:
        document_number, optional_data = _document_number(line1[5:14], line1[14]), line1[15:30]
    birth_date = (
        None if "birth_date" in unchecked else _birth_date(line2[0:6], line2[6], today=today)
    )
    sex = _sex(line2[7])
    expiry_date = (
        None if "expiry_date" in unchecked else _expiry_date(line2[8:14], line2[14], today=today)
    )
    nationality = _country_code(line2[15:18], "nationality", "Nationality")
    # TD1 optional data has no check digit of its own; only the composite protects it.
    composite_data = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    if not unchecked:
        _verify("composite", "Composite", composite_data, line2[29])
    return MRZData(
        format="TD1",
        document_type=document_type,
        issuing_country=issuing_country,
        document_number=document_number,
        surname=surname,
        given_names=given_names,
        nationality=nationality,
        birth_date=birth_date,
        sex=sex,
        expiry_date=expiry_date,
        optional_data=optional_data.strip(FILLER),
        optional_data_2=line2[18:29].strip(FILLER),
    )


def _document_type(raw: str, *, first_letters: str, document: str) -> str:
    if raw[0] not in first_letters or raw[1] not in string.ascii_uppercase + FILLER:
        allowed = " or ".join(first_letters)
        raise MRZError(
            "format",
            f"Document type {raw!r} is not an {document} type; it must start with {allowed}.",
        )
    return raw.rstrip(FILLER)


def _country_code(raw: str, field: MRZField, label: str) -> str:
    # Codes are kept as read: ICAO adds codes ISO 3166 lacks (D, XXA, UNO, GBD...).
    code = raw.rstrip(FILLER)
    if not code or not all(character in string.ascii_uppercase for character in code):
        raise MRZError(
            field,
            f"{label} code {raw!r} is not valid; expected letters padded with < (e.g. 'D<<').",
        )
    return code


def _names(raw: str) -> tuple[str, str]:
    digits = [character for character in raw if character in string.digits]
    if digits:
        raise MRZError(
            "names", f"The name contains the digit {digits[0]!r}; names hold only letters."
        )
    surname_part, _, given_part = raw.partition(FILLER * 2)
    surname = _words(surname_part)
    if not surname:
        raise MRZError("names", "The name field holds no surname.")
    return surname, _words(given_part)


def _words(raw: str) -> str:
    return " ".join(raw.replace(FILLER, " ").split())


def _document_number(raw: str, check: str) -> str:
    _verify("document_number", "Document number", raw, check)
    number = raw.strip(FILLER)
    if not number:
        raise MRZError("document_number", "The document number is empty.")
    return number


def _long_document_number(head: str, optional: str) -> tuple[str, str]:
    """Join a TD1 document number longer than 9 characters; return it and the rest of the field."""
    # ICAO 9303-5 (TD1 upper line): a < in the check digit position says the number goes on in
    # the optional data field, followed by its check digit and a filler.
    end = optional.find(FILLER)
    if end < 2:
        raise MRZError(
            "document_number",
            "The document number check digit is missing: its position holds <, but the optional "
            "data field does not continue the number with a check digit.",
        )
    number = head + optional[: end - 1]
    _verify("document_number", "Document number", number, optional[end - 1])
    return number.strip(FILLER), optional[end + 1 :]


def _birth_date(raw: str, check: str, *, today: date) -> date:
    _verify("birth_date", "Date of birth", raw, check)
    year, month, day = _date_parts(raw, "birth_date", "Date of birth")
    century = today.year // 100 * 100
    # A person cannot be born after today, so the latest such century wins.
    for candidate_year in (century + year, century - 100 + year):
        born = _date_or_none(candidate_year, month, day)
        if born is not None and born <= today:
            return born
    raise MRZError("birth_date", f"Date of birth {raw} (YYMMDD) is not a valid date.")


def _expiry_date(raw: str, check: str, *, today: date) -> date:
    _verify("expiry_date", "Expiry date", raw, check)
    year, month, day = _date_parts(raw, "expiry_date", "Expiry date")
    century = today.year // 100 * 100
    # The window is exactly 100 years wide, so at most one century's reading falls inside it.
    earliest, latest = _shift_years(today, -50), _shift_years(today, 50)
    for candidate_year in (century - 100 + year, century + year, century + 100 + year):
        expiry = _date_or_none(candidate_year, month, day)
        if expiry is not None and earliest <= expiry < latest:
            return expiry
    raise MRZError("expiry_date", f"Expiry date {raw} (YYMMDD) is not a valid date.")


def _date_parts(raw: str, field: MRZField, label: str) -> tuple[int, int, int]:
    # ICAO lets an unknown day or month be written as <<, but a date object cannot hold that.
    if not all(character in string.digits for character in raw):
        raise MRZError(field, f"{label} {raw} is incomplete; expected six digits (YYMMDD).")
    return int(raw[0:2]), int(raw[2:4]), int(raw[4:6])


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _sex(raw: str) -> Literal["M", "F", "X"]:
    if raw == "M":
        return "M"
    if raw == "F":
        return "F"
    if raw in ("X", FILLER):
        return "X"
    raise MRZError("sex", f"Sex {raw!r} is not valid; expected M, F, X or <.")


def _verify(field: MRZField, label: str, data: str, check: str) -> None:
    if check not in string.digits:
        raise MRZError(field, f"{label} check digit must be a digit, read {check!r}.")
    expected = str(_check_digit(data))
    if check != expected:
        raise MRZError(
            field,
            f"{label} check digit is {check} but should be {expected}; a character was misread "
            "or altered.",
        )


def _check_digit(data: str) -> int:
    # ICAO 9303-3 4.9: weights 7, 3, 1 repeating; digits count as themselves, A-Z as 10-35, < as 0.
    return (
        sum(
            CHARACTER_VALUES[character] * CHECK_WEIGHTS[index % 3]
            for index, character in enumerate(data)
        )
        % 10
    )
