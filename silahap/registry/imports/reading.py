"""Read an uploaded file into a header and numbered rows of cells, or refuse it whole.

CSV: UTF-8 with or without a byte-order mark; otherwise Windows-1252 when charset-normalizer
finds it plausible (see _detected), and the text must be plain (no control characters).
XLSX: openpyxl in read-only mode, the first sheet. A formula is never evaluated: a formula cell
becomes FORMULA, which the row check refuses. openpyxl's data_only=True
would hand back the cached result instead, hiding that the cell held a formula at all.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Magic numbers: XLSX is a ZIP container; old XLS an OLE2 compound file.
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
UTF8_BOM = b"\xef\xbb\xbf"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# charset-normalizer's "chaos" above this share of the text means it guessed, not detected.
MAX_CHAOS = 0.2
DELIMITERS = (",", ";", "\t")
# Spreadsheet XML compresses well, but not a hundredfold beyond a few megabytes.
MAX_UNPACKED_RATIO = 100
MAX_UNPACKED_SLACK = 50 * 1024 * 1024
WESTERN_CODE_PAGES = frozenset({"cp1252", "latin_1", "iso8859_15"})


class Formula:
    """A spreadsheet cell that holds a formula (never evaluated, never stored)."""

    def __repr__(self) -> str:
        return "FORMULA"


FORMULA = Formula()
Cell = str | datetime.date | datetime.datetime | int | float | Formula | None


class FileProblem(Exception):
    """The whole file is refused; code names a message in imports.problems."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]  # (line number in the file, cells)


def open_table(file_name: str, content: bytes) -> Table:
    """The file's header and an iterator over its numbered rows."""
    if not content:
        raise FileProblem("empty_file")
    lower = file_name.lower()
    if content.startswith(ZIP_MAGIC):
        return _xlsx_table(content)
    if content.startswith(OLE2_MAGIC) or lower.endswith(".xls"):
        raise FileProblem("old_excel")
    if lower.endswith(".xlsx"):
        raise FileProblem("not_xlsx")
    return _csv_table(_decode(content))


def _decode(content: bytes) -> str:
    if content.startswith(UTF8_BOM):
        content = content[len(UTF8_BOM) :]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = _detected(content)
    if CONTROL_CHARACTERS.search(text):
        raise FileProblem("not_text")
    return text


def _detected(content: bytes) -> str:
    """Windows-1252 when charset-normalizer finds it plausible, else a refusal.

    A short text of names is ambiguous among the single-byte code pages (é, ñ and ń are one
    byte each): charset-normalizer ranks cp1250 and cp1252 alike for "Nuñez". Files that are not
    UTF-8 come from Excel's "CSV" on Windows set to Indonesian or English, which writes
    Windows-1252; anything else is refused and the user is asked for CSV UTF-8, rather than
    guessed and misspelt in the registry.
    """
    if b"\x00" in content[:65536]:
        raise FileProblem("not_text")
    matches = [match for match in from_bytes(content) if match.chaos <= MAX_CHAOS]
    plausible = {name for match in matches for name in match.could_be_from_charset}
    if not plausible & WESTERN_CODE_PAGES:
        raise FileProblem("unknown_encoding")
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise FileProblem("unknown_encoding") from None


def _csv_table(text: str) -> Table:
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise FileProblem("empty_file") from None
    except csv.Error:
        raise FileProblem("not_csv") from None

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        line = reader.line_num + 1
        try:
            for cells in reader:
                yield line, list(cells)
                line = reader.line_num + 1
        except csv.Error as error:
            raise FileProblem("bad_csv", line=line, detail=str(error)) from None

    return Table(header=[str(cell) for cell in header], rows=rows())


def _xlsx_table(content: bytes) -> Table:
    from openpyxl import load_workbook  # noqa: PLC0415 — heavy: only a spreadsheet upload needs openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise FileProblem("not_xlsx") from None
    # openpyxl holds a workbook's shared strings in memory: a few MB that unpack to gigabytes
    # (a "zip bomb") would take the worker down.
    if unpacked > MAX_UNPACKED_RATIO * len(content) + MAX_UNPACKED_SLACK:
        raise FileProblem("not_xlsx")
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=False, keep_links=False
        )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise FileProblem("not_xlsx") from None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise FileProblem("empty_file")
    cells = sheet.iter_rows()
    try:
        header = [_xlsx_value(cell) for cell in next(cells)]
    except StopIteration:
        workbook.close()
        raise FileProblem("empty_file") from None

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for line, row in enumerate(cells, start=2):
                yield line, [_xlsx_value(cell) for cell in row]
        finally:
            workbook.close()

    return Table(header=["" if h is None else str(h) for h in header], rows=rows())


def _xlsx_value(cell) -> Cell:
    if getattr(cell, "data_type", None) == "f":
        return FORMULA
    return cell.value
