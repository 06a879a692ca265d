"""Fields and cleaning shared by the registry's place and sponsor forms."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from silahap.formfields import PlainSelect
from silahap.registry.models import Regency


class RegencyChoices(ModelChoiceIterator):
    """The 514 regencies as (code, "name (province)") from one query of three columns, without
    making a Regency and its Province of every row for the <select> (the field still cleans a
    chosen code to its Regency)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # Fetched whole, not by .iterator(): on PostgreSQL that is a server-side cursor, two
        # round trips more for 514 short rows.
        rows = self.queryset.values_list("code", "name", "province__name")
        for code, name, province in rows:
            yield (code, f"{name} ({province})")


class RegencyChoiceField(forms.ModelChoiceField):
    """A regency/city by its Kemendagri code, shown with its province (names repeat)."""

    iterator = RegencyChoices
    widget = PlainSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Regency/city"))
        super().__init__(
            queryset=Regency.objects.select_related("province").order_by("province_id", "name"),
            to_field_name="code",
            **kwargs,
        )

    def label_from_instance(self, regency: Regency) -> str:
        return f"{regency.name} ({regency.province.name})"


def clean_text(data: dict, *names: str) -> None:
    for name in names:
        data[name] = " ".join((data.get(name) or "").split())
