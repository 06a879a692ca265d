"""Reading values a view takes from a request without a form: ids, numbers, coordinates and
short text, each refused with 400 when it is not what our pages send (limits in
silahap.limits). A form field does the same with a message beside the field.

One way to do it, so that no view has a try/except of its own around int() or Decimal().
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest
from django.http.multipartparser import TooManyFilesSent  # type: ignore[attr-defined]  # not in the stubs
from django.utils.translation import gettext as _

from silahap import limits


class InvalidInput(BadRequest):
    """A query-string or form value no page of ours sends: Django answers 400."""


class TermTooLong(ValueError):
    """A search term over its limit: the search functions refuse it, the views say so."""

    def __init__(self, limit: int):
        super().__init__(f"at most {limit} characters")
        self.limit = limit

    @property
    def message(self) -> str:
        return _("Type at most %(n)d characters.") % {"n": self.limit}


def bounded_term(term: str, limit: int) -> str:
    """The term, or TermTooLong when it is longer than `limit` characters."""
    if len(term) > limit:
        raise TermTooLong(limit)
    return term


def read_text(value: str | None, *, limit: int, name: str = "value") -> str:
    """Text from a query string or a form, "" when absent; 400 when too long or holding NUL."""
    value = value or ""
    if len(value) > limit or "\x00" in value:
        raise InvalidInput(f"{name}: at most {limit} characters, no NUL")
    return value


def read_int(
    value: str | None, *, low: int, high: int, default: int | None = None, name: str = "value"
) -> int | None:
    """A whole number between low and high; `default` when absent or empty; 400 otherwise."""
    if value is None or value == "":
        return default
    text = str(value).strip()
    # Digits only (int() would also take "1_000", "٣" and 4,000-digit strings).
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 20:
        raise InvalidInput(f"{name}: not a whole number")
    number = int(text)
    if not low <= number <= high:
        raise InvalidInput(f"{name}: out of range")
    return number


def read_id(value: str | None, *, name: str = "id") -> int | None:
    """The id of a record as a page sends it; None when none was sent; 400 for anything else."""
    return read_int(value, low=1, high=limits.ID_MAX, name=name)


def parse_coordinate(value: str | None, bounds: tuple[int, int]) -> Decimal | None:
    """A finite decimal within bounds, None when absent or empty; ValueError otherwise
    (NaN, Infinity, out of range, not a number)."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if len(text) > 32:
        raise ValueError("not a coordinate")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError("not a coordinate") from error
    if not number.is_finite() or not bounds[0] <= number <= bounds[1]:
        raise ValueError("not a coordinate")
    return number


def read_coordinate(value: str | None, bounds: tuple[int, int], *, name: str) -> Decimal | None:
    """A latitude or longitude from a query string: None when absent, 400 when not one."""
    try:
        return parse_coordinate(value, bounds)
    except ValueError as error:
        raise InvalidInput(f"{name}: not a coordinate") from error


class IdField(forms.IntegerField):
    """A record's id in a form: a positive whole number a database can hold."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", limits.ID_MAX)
        super().__init__(**kwargs)


class RecordsField(forms.ModelMultipleChoiceField):
    """Several records by id: an id no page sends is a form error, where Django would hand it
    to the database (SQLite overflows on an id past 2**63 in an IN list)."""

    def _check_values(self, value):
        for pk in value or ():
            try:
                read_id(str(pk))
            except InvalidInput as error:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                ) from error
        return super()._check_values(value)


class CountField(forms.IntegerField):
    """A count, a distance or a number of days: not negative, and one a database column holds."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", limits.COUNT_MAX)
        super().__init__(**kwargs)


def free_text_field(**kwargs) -> forms.CharField:
    """A form field for text stored without a length of its own (limits.TEXT characters)."""
    kwargs.setdefault("max_length", limits.TEXT)
    kwargs.setdefault("required", False)
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
    return forms.CharField(**kwargs)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )


class BoundedRequestMiddleware:
    """Refuse an address longer than limits.URL_LENGTH, or a NUL in the address or a form
    field, before any other work (the session, the user, the view): no page sends one, and
    PostgreSQL refuses it in text. Bodies are bounded by DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if len(request.path) + len(query) > limits.URL_LENGTH:
            return HttpResponseBadRequest(
                _("The address is too long."), content_type="text/plain; charset=utf-8"
            )
        posted_form = request.method == "POST" and request.content_type in FORM_TYPES
        try:
            nul_in_form = posted_form and _holds_nul(request.POST)
        except TooManyFilesSent:
            # Answered further in, with a message in the reader's language (silahap.uploads);
            # Django keeps an empty body after the error, so the refusal is remembered here.
            request.too_many_files = True
            nul_in_form = False
        if "%00" in query or "\x00" in query or "\x00" in request.path or nul_in_form:
            return HttpResponseBadRequest(
                _("The request holds a character that is not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
