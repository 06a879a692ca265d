"""Fields and cleaning shared by the registry's place and sponsor forms."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from silahap.formfields import PlainSelect
from silahap.registry.models import Regency
from silahap.statements import Statement


def _all_regencies():
    return Regency.objects.order_by("province_id", "name").values_list(
        "code", "name", "province__name"
    )


# The rows of the regency select's query, compiled once per connection (silahap/statements.py):
# building and compiling it was a third of the rows' cost on every list page (0.3 of 0.9 ms at
# 514 rows).
_REGENCY_ROWS = Statement(_all_regencies)


class RegencyChoices(ModelChoiceIterator):
    """The 514 regencies as (code, "name (province)") from one query of three columns, without
    making a Regency and its Province of every row for the <select> (the field still cleans a
    chosen code to its Regency)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.queryset.query.where or self.queryset.query.is_sliced:
            # Narrowed by a form: its own query (the field's own lists every regency).
            rows = self.queryset.values_list("code", "name", "province__name")
        else:
            rows = _REGENCY_ROWS.rows(self.queryset.db)
        for code, name, province in rows:
            yield (code, f"{name} ({province})")


class RegencyChoiceField(forms.ModelChoiceField):
    """A regency/city by its Kemendagri code, shown with its province (names repeat)."""

    iterator = RegencyChoices
    widget = PlainSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Regency/city"))
        super().__init__(
            # The same order as _all_regencies, the rows of the unnarrowed list.
            queryset=Regency.objects.select_related("province").order_by("province_id", "name"),
            to_field_name="code",
            **kwargs,
        )

    def label_from_instance(self, regency: Regency) -> str:
        return f"{regency.name} ({regency.province.name})"


def clean_text(data: dict, *names: str) -> None:
    for name in names:
        data[name] = " ".join((data.get(name) or "").split())
