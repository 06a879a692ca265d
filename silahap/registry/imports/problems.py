"""Why a file or a row is refused, and notes on what a row did: stored as codes with parameters
and rendered in the reader's language when shown."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from silahap.registry.imports.layouts import column_label

MESSAGES = {
    # The whole file.
    "empty_file": _("The file is empty."),
    "too_large": _("The file is larger than %(limit)s MB."),
    "too_many_rows": _("The file has more than %(limit)s rows; split it into smaller files."),
    "old_excel": _("Old Excel files (.xls) cannot be read; save the file as .xlsx or CSV."),
    "not_xlsx": _("This is not a readable XLSX workbook."),
    "not_csv": _("This is not a readable CSV file."),
    "bad_csv": _("The CSV file cannot be read from line %(line)s on (an unclosed quote?)."),
    "not_text": _("This is not a text file: upload a CSV or XLSX file."),
    "unknown_encoding": _(
        "The characters of this file cannot be recognised; save it as CSV UTF-8 and upload it "
        "again."
    ),
    "missing_columns": _("Columns missing from the first row: %(columns)s."),
    "no_rows": _("The file has a header but no rows."),
    "worker_failed": _("The import stopped on an unexpected error; the administrators were told."),
    # One row.
    "required": _("%(column)s is required."),
    "too_long": _("%(column)s is longer than %(limit)s characters."),
    "formula": _("%(column)s looks like a spreadsheet formula; formulas are not accepted."),
    "bad_date": _("%(column)s is not a date (write 2025-03-31 or 31/03/2025)."),
    "bad_nationality": _("%(column)s: unknown country “%(value)s”."),
    "bad_choice": _("%(column)s: “%(value)s” is not one of %(choices)s."),
    "bad_name": _("%(column)s: enter the name as written in the passport."),
    "document_characters": _(
        "%(column)s: use only letters A–Z and digits 0–9, as in the passport's MRZ."
    ),
    "passport_too_long": _("%(column)s: a passport number has at most 9 characters (ICAO 9303)."),
    "check_out_before_check_in": _("The check-out date is before the check-in date."),
    "duplicate": _("The same as line %(line)s."),
    "birth_in_future": _("A date of birth cannot be in the future."),
    "birth_before_1900": _("A date of birth before 1900 is not plausible."),
    "issued_in_future": _("A permit cannot be issued in the future."),
    "valid_before_issue": _("A permit must be valid until a date after it was issued."),
    "visa_index_mismatch": _("The visa index %(value)s belongs to another kind of stay permit."),
    "unknown_regency": _("Unknown regency/city code “%(value)s” (Kemendagri code such as 36.71)."),
    # Notes on rows that were taken.
    "new_person": _("new person"),
    "new_place": _("new place"),
    "new_permit": _("new stay permit"),
    "filled": _("filled in: %(fields)s"),
    "check_out_set": _("check-out recorded"),
    "name_differs": _("the registry has this document under the name %(name)s"),
}


def render(code: str, params: dict | None = None) -> str:

    template = MESSAGES.get(code)
    if template is None:
        return code
    params = dict(params or {})
    if "column" in params:
        params["column"] = column_label(params["column"])
    if isinstance(params.get("columns"), list):
        params["columns"] = ", ".join(column_label(key) for key in params["columns"])
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def render_all(notes: list) -> list[str]:
    return [render(code, params) for code, params in notes]
