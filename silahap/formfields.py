"""Typed access to the fields a form narrows per request, and a <select> for long lists
(plumbing: knows no domain).

`form.fields[name]` is a plain `Field` to a type checker; a form that sets a choice field's records
in `__init__` asks for it here, and a field that is not what the form declares fails loudly.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field `name`, which must choose records (one or several)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(
            f"{type(form).__name__}.{name} is {type(field).__name__}, not a record choice"
        )
    return field


def _escaped(value: object) -> str:
    """Django's conditional_escape, for one plain value: markup already declared safe stays."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


class PlainSelect(forms.Select):
    """A single-choice <select> written in one pass, each value and label escaped.

    Django's Select renders a template per option: for the 514 regencies that was three
    quarters of the places and sponsors lists' time (#21), for the ~250 countries a third of
    the person search's. Same markup, same attributes as the bound field gives them (id,
    required, aria-*). Flat choices only (no option groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        # Not list(): it asks a model choice iterator for its length, a COUNT query.
        choices = [choice for choice in self.choices]  # noqa: C416
        if any(isinstance(label, (list, tuple)) for _option, label in choices):
            raise TypeError("PlainSelect takes flat choices, not option groups")
        # The standard library's escape on each value and label (what Django's escape does
        # inside, without its lazy-string check per call: a quarter of a list page's time).
        options = "".join(
            f'<option value="{_escaped(option)}"'
            f"{' selected' if str(option) in chosen else ''}>{_escaped(label)}</option>"
            for option, label in choices
        )
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))  # noqa: S308 — escaped above
