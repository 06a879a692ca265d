"""Correct an MRZ as read by OCR with what ICAO 9303 guarantees about it.

Every position of an MRZ line has a character class (digits in dates and check digits, letters in
country codes and names, either in document numbers), and check digits cover the document number,
the dates, the optional data and the whole line. OCR confuses look-alikes (0/O, 1/I, 2/Z, 5/S,
8/B, 6/G): where the class allows only one of a pair the class decides; where it allows both the
check digits decide, and where they cannot (a G/6 swap never changes a check digit: 16 - 6 = 10)
the field is named as unsure instead of being filled with a guess.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from silahap.registry.mrz import FILLER, MRZField, _check_digit

DIGITS = frozenset(string.digits)
LETTERS = frozenset(string.ascii_uppercase)
LETTERS_OR_FILLER = LETTERS | {FILLER}
ALPHANUMERIC = LETTERS | DIGITS | {FILLER}
SEX = frozenset("MFX<")
DIGIT_OR_FILLER = DIGITS | {FILLER}
LOOK_ALIKES = {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G"}
LOOK_ALIKES |= {letter: digit for digit, letter in LOOK_ALIKES.items()}
# OCR also reads these letters for digits in a digits-only position (and the reverse).
TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "7", "Z": "2"}
TO_DIGIT |= {"S": "5", "B": "8", "G": "6", "A": "4", "<": "0"}
TO_LETTER = {digit: letter for digit, letter in LOOK_ALIKES.items() if digit in DIGITS}
# A glyph read at least this sure, its look-alike at most DOUBT, is taken as read even where the
# check digits could not tell the pair apart.
CERTAIN = 0.97
DOUBT = 0.01
# An OCR alternative this likely is tried against the check digits.
ALTERNATIVE = 0.03
# Readings of the fields tried together against the final check digit, at most.
COMBINATIONS = 4096
CHECKED_FIELDS: tuple[MRZField, ...] = ("document_number", "birth_date", "expiry_date")

Probabilities = Mapping[str, float]
# Stands for a position the OCR lost; no check digit accepts it.
UNREAD = "?"


@dataclass(frozen=True)
class CheckedField:
    name: MRZField
    positions: tuple[tuple[int, int], ...]  # (line, column) of the data
    check: tuple[int, int] | None  # its check digit; None where only the composite covers it


@dataclass(frozen=True)
class Layout:
    format: str
    widths: tuple[int, ...]
    classes: tuple[tuple[frozenset[str], ...], ...]
    fields: tuple[CheckedField, ...]
    composite: tuple[tuple[tuple[int, int], ...], tuple[int, int]]
    confidence_fields: Mapping[str, tuple[tuple[int, int], ...]]


def _span(line: int, start: int, stop: int) -> tuple[tuple[int, int], ...]:
    return tuple((line, column) for column in range(start, stop))


def _classes(*parts: tuple[int, frozenset[str]]) -> tuple[frozenset[str], ...]:
    return tuple(itertools.chain.from_iterable([allowed] * count for count, allowed in parts))


TD3 = Layout(
    format="TD3",
    widths=(44, 44),
    classes=(
        (
            frozenset("P"),
            LETTERS_OR_FILLER,
            *_classes((3, LETTERS_OR_FILLER), (39, LETTERS_OR_FILLER)),
        ),
        _classes(
            (9, ALPHANUMERIC),
            (1, DIGITS),
            (3, LETTERS_OR_FILLER),
            (6, DIGITS),
            (1, DIGITS),
            (1, SEX),
            (6, DIGITS),
            (1, DIGITS),
            (14, ALPHANUMERIC),
            (1, DIGIT_OR_FILLER),
            (1, DIGITS),
        ),
    ),
    fields=(
        CheckedField("document_number", _span(1, 0, 9), (1, 9)),
        CheckedField("birth_date", _span(1, 13, 19), (1, 19)),
        CheckedField("expiry_date", _span(1, 21, 27), (1, 27)),
        CheckedField("optional_data", _span(1, 28, 42), (1, 42)),
    ),
    composite=(_span(1, 0, 10) + _span(1, 13, 20) + _span(1, 21, 43), (1, 43)),
    confidence_fields={
        "names": _span(0, 5, 44),
        "issuing_country": _span(0, 2, 5),
        "nationality": _span(1, 10, 13),
        "sex": _span(1, 20, 21),
    },
)
TD1 = Layout(
    format="TD1",
    widths=(30, 30, 30),
    classes=(
        (
            frozenset("IAC"),
            LETTERS_OR_FILLER,
            *_classes(
                (3, LETTERS_OR_FILLER), (9, ALPHANUMERIC), (1, DIGIT_OR_FILLER), (15, ALPHANUMERIC)
            ),
        ),
        _classes(
            (6, DIGITS),
            (1, DIGITS),
            (1, SEX),
            (6, DIGITS),
            (1, DIGITS),
            (3, LETTERS_OR_FILLER),
            (11, ALPHANUMERIC),
            (1, DIGITS),
        ),
        _classes((30, LETTERS_OR_FILLER)),
    ),
    fields=(
        CheckedField("document_number", _span(0, 5, 14), (0, 14)),
        CheckedField("birth_date", _span(1, 0, 6), (1, 6)),
        CheckedField("expiry_date", _span(1, 8, 14), (1, 14)),
        CheckedField("optional_data", _span(0, 15, 30) + _span(1, 18, 29), None),
    ),
    composite=(_span(0, 5, 30) + _span(1, 0, 7) + _span(1, 8, 15) + _span(1, 18, 29), (1, 29)),
    confidence_fields={
        "names": _span(2, 0, 30),
        "issuing_country": _span(0, 2, 5),
        "nationality": _span(1, 15, 18),
        "sex": _span(1, 7, 8),
    },
)
LAYOUTS = {(44, 44): TD3, (30, 30, 30): TD1}


@dataclass(frozen=True)
class Corrected:
    lines: tuple[str, ...]
    unsure: frozenset[MRZField]
    # The OCR's confidence in the fields no check digit covers (0 to 1), for the officer to judge.
    confidence: Mapping[str, float]


class Unreadable(ValueError):
    """The text has no MRZ's shape, or too little of it agrees with its check digits."""


def lines_holding(layout: Layout, names: Collection[str]) -> set[int]:
    """The lines on which the named fields (checked or confidence-only) are printed."""
    spans = [field.positions + ((field.check,) if field.check else ()) for field in layout.fields]
    spans = [span for span, field in zip(spans, layout.fields, strict=True) if field.name in names]
    spans += [positions for name, positions in layout.confidence_fields.items() if name in names]
    return {line for span in spans for line, _ in span}


def correct_text(text: str) -> Corrected:
    """Correct a typed or pasted MRZ, trusting no single character more than its check digits."""
    lines = [line.strip() for line in text.upper().splitlines() if line.strip()]
    return correct([[{character: 0.5} for character in line] for line in lines])


def correct(lines: Sequence[Sequence[Probabilities]]) -> Corrected:
    """Choose each position's character from OCR probabilities, classes and check digits."""
    layout = LAYOUTS.get(tuple(len(line) for line in lines))
    if layout is None:
        raise Unreadable(f"lines of {[len(line) for line in lines]} characters are no MRZ")
    candidates = [
        [_candidates(glyph, allowed) for glyph, allowed in zip(line, classes, strict=True)]
        for line, classes in zip(lines, layout.classes, strict=True)
    ]
    unsure: set[MRZField] = set()
    chosen = []
    for line_index, line in enumerate(candidates):
        row = []
        for column, options in enumerate(line):
            if not options:
                unsure.add(_field_at(layout, (line_index, column)))
            row.append(options[0] if options else FILLER)
        chosen.append(row)
    for line_index, row in enumerate(chosen):
        for column, character in enumerate(row):
            if character == UNREAD and not _checked(layout, (line_index, column)):
                # A lost letter of a name: the officer confirms names anyway (confidence 0).
                unsure.add(_field_at(layout, (line_index, column)))
                row[column] = FILLER
    solutions = {field.name: _field_solutions(field, candidates) for field in layout.fields}
    if sum(1 for values in solutions.values() if not values) >= 2:
        raise Unreadable("the check digits of most fields fail")
    composite_positions, (check_line, check_column) = layout.composite
    passing = []
    for combination in itertools.islice(
        itertools.product(*(solutions[field.name] for field in layout.fields)), COMBINATIONS
    ):
        trial = [row[:] for row in chosen]
        for field, values in zip(layout.fields, combination, strict=True):
            _apply(trial, field, values)
        data = "".join(trial[line][column] for line, column in composite_positions)
        if UNREAD in data:
            continue
        if str(_check_digit(data)) in candidates[check_line][check_column]:
            passing.append((combination, str(_check_digit(data))))
    if passing:
        for index, field in enumerate(layout.fields):
            agreed = {combination[index] for combination, _ in passing}
            if len(agreed) == 1:
                _apply(chosen, field, agreed.pop())
            else:
                unsure.add(field.name)
        composites = {digit for _, digit in passing}
        chosen[check_line][check_column] = composites.pop() if len(composites) == 1 else FILLER
    elif any(not solutions[field.name] for field in layout.fields):
        # One field fails its own check digit, so the final one cannot be computed: the others
        # stand on their own check digits where exactly one reading passes.
        for field in layout.fields:
            readings = solutions[field.name]
            if len(readings) == 1 and field.check is not None:
                _apply(chosen, field, readings[0])
            else:
                unsure.add(field.name)
    else:
        # The final check digit fails: something the fields' own check digits did not catch (or
        # the final digit itself) was misread, and nothing says which field to distrust.
        unsure |= {field.name for field in layout.fields}
    text_lines = tuple("".join(line) for line in chosen)
    confidence = {
        name: round(min(_probability(lines, position, text_lines) for position in positions), 3)
        for name, positions in layout.confidence_fields.items()
    }
    return Corrected(text_lines, frozenset(unsure), confidence)


def _candidates(glyph: Probabilities, allowed: frozenset[str]) -> list[str]:
    """The characters this position may hold, most likely first; empty when none fits."""
    ranked = sorted(glyph.items(), key=lambda item: -item[1])
    if not ranked:
        # Nothing was read here: any character of the class, for the check digits to choose.
        return [UNREAD, *sorted(allowed)]
    best, best_probability = ranked[0]
    # A doubtful glyph keeps even faint alternatives: a check digit cannot tell apart characters
    # whose values differ by a multiple of 10 (<, 0, A, K, U; 1, B, L, V; ...), so a faint one
    # that passes too must make the field unsure rather than lose to the first reading.
    threshold = ALTERNATIVE if best_probability >= CERTAIN else DOUBT
    options = [
        character
        for character, probability in ranked
        if character in allowed and (character == best or probability >= threshold)
    ]
    if best not in allowed:
        # The class decides between look-alikes: a letter in a date is the digit it resembles.
        coerced = (TO_DIGIT if allowed <= DIGIT_OR_FILLER else TO_LETTER).get(best)
        if coerced in allowed:
            options = [coerced] + [character for character in options if character != coerced]
        return options
    partner = LOOK_ALIKES.get(best)
    # Check digits tell every look-alike pair apart but G/6 (16 - 6 = 10 changes no digit), so
    # only there does the reader's own certainty decide.
    undetectable = {best, partner} == {"G", "6"}
    if (
        partner in allowed
        and partner not in options
        and (not undetectable or best_probability < CERTAIN or glyph.get(partner, 0.0) > DOUBT)
    ):
        options.append(partner)
    return options


def _field_solutions(
    field: CheckedField, candidates: list[list[list[str]]]
) -> list[tuple[str, ...]]:
    """The field as read, or with one doubtful character changed, where its check digit agrees."""
    positions = field.positions + ((field.check,) if field.check else ())
    options = [candidates[line][column] or [FILLER] for line, column in positions]
    variants = _variants(options)
    if field.check is None:
        return variants  # only the composite covers it
    return [values for values in variants if _accepts(values)]


def _accepts(values: tuple[str, ...]) -> bool:
    data, check = "".join(values[:-1]), values[-1]
    if UNREAD in values:
        return False
    if check == FILLER:
        # ICAO 9303-4: an all-filler personal number may carry < as its check digit.
        return set(data) == {FILLER}
    return check in DIGITS and _check_digit(data) == int(check)


def _variants(options: list[list[str]]) -> list[tuple[str, ...]]:
    first = tuple(choices[0] for choices in options)
    found = [first]
    for index, choices in enumerate(options):
        for character in choices[1:]:
            found.append(first[:index] + (character,) + first[index + 1 :])
    return found


def _apply(chosen: list[list[str]], field: CheckedField, values: tuple[str, ...]) -> None:
    positions = field.positions + ((field.check,) if field.check else ())
    for (line, column), character in zip(positions, values, strict=True):
        chosen[line][column] = character


def _checked(layout: Layout, position: tuple[int, int]) -> bool:
    return (
        any(position in field.positions or position == field.check for field in layout.fields)
        or position == layout.composite[1]
    )


def _field_at(layout: Layout, position: tuple[int, int]) -> MRZField:
    for field in layout.fields:
        if position in field.positions or position == field.check:
            return field.name
    for name, positions in layout.confidence_fields.items():
        if position in positions:
            return name  # type: ignore[return-value]
    return "format"


def _probability(lines, position, text_lines) -> float:
    line, column = position
    return float(lines[line][column].get(text_lines[line][column], 0.0))
