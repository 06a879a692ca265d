"""Fields a higher layer adds to a lower layer's form, and what it does once the form is saved.

The form's view names its extension point and asks for the extra fields; an app above registers
them from its AppConfig.ready(), so the lower view never imports it:

    form_extensions.add("reports.activity_form", name="operations.operation",
                        fields=lambda request: {"operation": forms.ChoiceField(...)},
                        template="operations/_activity_operation.html",
                        saved=lambda request, obj, values: ...)

In the view: `form_extensions.extend(form, "reports.activity_form", request)` after building the
form, `{% form_extensions form %}` in its template, and `form_extensions.saved(form, request, obj)`
in the same transaction as the save: a ValidationError from an extension undoes the save and is
shown beside that extension's fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Model
from django.http import HttpRequest

FieldsFunction = Callable[[HttpRequest], dict[str, forms.Field] | None]
SavedFunction = Callable[[HttpRequest, Model, dict], None]
ProvidesFunction = Callable[[HttpRequest, dict], dict]
ATTRIBUTE = "_silahap_form_extensions"


@dataclass(frozen=True)
class FormExtension:
    name: str
    fields: FieldsFunction
    template: str
    saved: SavedFunction
    order: int = 100
    # Values for the form's own fields, from the extension's choice (e.g. a warrant's number and
    # date from the warrant picked): the view fills what the person left empty with them.
    provides: ProvidesFunction | None = None
    # A choice offered on the page (a picker): a POST that carries none of its fields came from
    # a page that did not show it, so it adds nothing to that POST and is not asked (no query
    # for choices no one sent). A page that shows a radio picker always posts one of its values.
    skip_unposted: bool = False

    @property
    def prefix(self) -> str:
        return self.name.replace(".", "_") + "__"


_points: dict[str, dict[str, FormExtension]] = {}


def add(
    point: str,
    *,
    name: str,
    fields: FieldsFunction,
    template: str,
    saved: SavedFunction,
    order: int = 100,
    provides: ProvidesFunction | None = None,
    skip_unposted: bool = False,
) -> None:
    """Extend a form; the same name twice with other functions is a mistake, not a replacement."""
    by_name = _points.setdefault(point, {})
    extension = FormExtension(name, fields, template, saved, order, provides, skip_unposted)
    existing = by_name.get(name)
    if existing is not None and existing != extension:
        raise ImproperlyConfigured(f"two form extensions named {name!r} on {point}")
    by_name[name] = extension


def remove(point: str, *, name: str) -> None:
    _points.get(point, {}).pop(name, None)


def for_point(point: str) -> list[FormExtension]:
    return sorted(_points.get(point, {}).values(), key=lambda ext: (ext.order, ext.name))


def extend(form: forms.BaseForm, point: str, request: HttpRequest) -> None:
    """Add each extension's fields for this request to `form`, named "<extension>__<field>"."""
    added = []
    posted = request.POST if request.method == "POST" else None
    for extension in for_point(point):
        if (
            posted is not None
            and extension.skip_unposted
            and not any(key.startswith(extension.prefix) for key in posted)
        ):
            continue
        extra = extension.fields(request) or {}
        for name, field in extra.items():
            form.fields[extension.prefix + name] = field
        if extra:
            added.append((extension, list(extra)))
    setattr(form, ATTRIBUTE, added)


def bound_fields(form: forms.BaseForm) -> list[tuple[FormExtension, list[forms.BoundField]]]:
    return [
        (extension, [form[extension.prefix + name] for name in names])
        for extension, names in getattr(form, ATTRIBUTE, [])
    ]


def provided(form: forms.BaseForm, request: HttpRequest) -> dict:
    """The values extensions give the form's own fields, from their clean values (after
    is_valid); the view uses them where the person left a field empty."""
    values: dict = {}
    for extension, names in getattr(form, ATTRIBUTE, []):
        if extension.provides is None:
            continue
        own = {name: form.cleaned_data.get(extension.prefix + name) for name in names}
        values.update(extension.provides(request, own) or {})
    return values


def saved(form: forms.BaseForm, request: HttpRequest, obj: Model) -> None:
    """Tell each extension the form's object was saved, with its own fields' clean values.

    Call it inside the save's transaction. An extension's ValidationError comes back with its
    field names as the form knows them, so the view shows it beside those fields."""
    for extension, names in getattr(form, ATTRIBUTE, []):
        values = {name: form.cleaned_data.get(extension.prefix + name) for name in names}
        try:
            extension.saved(request, obj, values)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise ValidationError(
                {
                    (extension.prefix + key if key in names else key): messages
                    for key, messages in error.error_dict.items()
                }
            ) from error
