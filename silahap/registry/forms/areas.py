"""Fields and cleaning shared by the registry's place and sponsor forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from silahap.registry.models import Regency


class RegencyChoiceField(forms.ModelChoiceField):
    """A regency/city by its Kemendagri code, shown with its province (names repeat)."""

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
