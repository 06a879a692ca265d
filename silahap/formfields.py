"""Typed access to the fields a form narrows per request (plumbing: knows no domain).

`form.fields[name]` is a plain `Field` to a type checker; a form that sets a choice field's records
in `__init__` asks for it here, and a field that is not what the form declares fails loudly.
"""

from __future__ import annotations

from typing import Any

from django import forms


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field `name`, which must choose records (one or several)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(
            f"{type(form).__name__}.{name} is {type(field).__name__}, not a record choice"
        )
    return field
