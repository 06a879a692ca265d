"""Typed access to the fields a form narrows per request, and a <select> for long lists
(plumbing: knows no domain).

`form.fields[name]` is a plain `Field` to a type checker; a form that sets a choice field's records
in `__init__` asks for it here, and a field that is not what the form declares fails loudly.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from html import escape
from typing import Any, NamedTuple

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's field `name`, which must choose records (one or several)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(
            f"{type(form).__name__}.{name} is {type(field).__name__}, not a record choice"
        )
    return field


class _Written(NamedTuple):
    # Every option written once, none selected; each option's selected form; where each value is.
    unselected: str
    options: tuple[str, ...]
    selected: tuple[str, ...]
    at: dict[str, tuple[int, ...]]


@lru_cache(maxsize=64)
def _written(choices: tuple[tuple[str, bool, str, bool], ...]) -> _Written:
    """The options of these choices ((value, value is safe, label, label is safe), each value
    and label a plain string in the current language), escaped and written once per process."""
    options, selected, at = [], [], defaultdict(list)
    for index, (value, value_safe, label, label_safe) in enumerate(choices):
        written_value = value if value_safe else escape(value)
        written_label = label if label_safe else escape(label)
        options.append(f'<option value="{written_value}">{written_label}</option>')
        selected.append(f'<option value="{written_value}" selected>{written_label}</option>')
        at[value].append(index)
    return _Written(
        "".join(options),
        tuple(options),
        tuple(selected),
        {value: tuple(indexes) for value, indexes in at.items()},
    )


class PlainSelect(forms.Select):
    """A single-choice <select> written in one pass, each value and label escaped.

    Django's Select renders a template per option: for the 514 regencies that was three
    quarters of the places and sponsors lists' time (#21), for the ~250 countries a third of
    the person search's. Same markup, same attributes as the bound field gives them (id,
    required, aria-*). Flat choices only (no option groups).

    The options are read every time (the choices may come from the database) and written once:
    the same choices in the same language (a list's 514 regencies on every request) reuse the
    escaped markup, and only the chosen option is written again."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        # Not list(): it asks a model choice iterator for its length, a COUNT query.
        choices = [choice for choice in self.choices]  # noqa: C416
        if any(isinstance(label, (list, tuple)) for _option, label in choices):
            raise TypeError("PlainSelect takes flat choices, not option groups")
        # Safe values and labels stay as they are (Django's conditional_escape); the key holds
        # each as the plain string it is written from, so a lazy label keys in its language.
        written = _written(
            tuple(
                (str(option), isinstance(option, SafeData), str(label), isinstance(label, SafeData))
                for option, label in choices
            )
        )
        hits = sorted(index for value in chosen for index in written.at.get(value, ()))
        if hits:
            parts = list(written.options)
            for index in hits:
                parts[index] = written.selected[index]
            options = "".join(parts)
        else:
            options = written.unselected
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))  # noqa: S308 — escaped above


class PlainBoundField(forms.BoundField):
    """A field whose `as_field_group` is written in one pass when it is the plain case (a label,
    no help text, no fieldset, no field template of its own, no required-field class): what
    Django's field.html and label.html write, label, errors and widget, without rendering two
    templates per field (a filter form's three fields were ~1 ms of a list page). Anything
    else goes to Django's templates."""

    def as_field_group(self):
        field, form = self.field, self.form
        if (
            self.use_fieldset
            or self.help_text
            or field.template_name
            or not self.label
            or hasattr(form, "required_css_class")
            or form.template_name_label != "django/forms/label.html"
            or form.renderer.field_template_name != "django/forms/field.html"
        ):
            return super().as_field_group()
        contents = conditional_escape(self.label)
        suffix = field.label_suffix if field.label_suffix is not None else form.label_suffix
        # As label_tag: no suffix after a label that ends in punctuation.
        if suffix and contents[-1] not in gettext(":?.!"):
            contents = format_html("{}{}", contents, suffix)
        id_ = field.widget.attrs.get("id") or self.auto_id
        if id_:
            for_label = field.widget.id_for_label(id_)
            attrs = f' for="{escape(str(for_label))}"' if for_label else ""
            label = f"<label{attrs}>{contents}</label>"
        else:
            label = str(contents)
        errors = self.errors
        return mark_safe(f"{label}\n\n\n{errors if errors else ''}\n{self}")  # noqa: S308 — label escaped, errors and widget rendered by Django
