"""Forms of the sponsor registry: shape only; the services say what is refused (a NIK's length)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from silahap import limits
from silahap.formfields import PlainBoundField, PlainSelect
from silahap.inputs import free_text_field
from silahap.registry.forms.areas import RegencyChoiceField, clean_text
from silahap.registry.models import Sponsor


class SponsorSearchForm(forms.Form):
    # A list page renders these three fields on every request: written in one pass.
    bound_field_class = PlainBoundField

    q = forms.CharField(
        label=_("Name or NIK / NIB"),
        required=False,
        max_length=limits.SEARCH_TERM,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any"))] + Sponsor.Kind.choices,
        widget=PlainSelect,
    )
    regency = RegencyChoiceField(required=False, empty_label=_("Any"))

    def clean(self):
        data = super().clean()
        clean_text(data, "q")
        return data


class SponsorForm(forms.Form):
    """A sponsor (penjamin): an Indonesian individual with a NIK or a corporation with a NIB."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Sponsor.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    identity_number = forms.CharField(
        label=_("NIK (individual) / NIB (corporation)"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = free_text_field(label=_("Address"))
    regency = RegencyChoiceField(required=False, empty_label=_("— choose —"))
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    @classmethod
    def initial_from(cls, sponsor: Sponsor) -> dict:
        return {
            "kind": sponsor.kind,
            "name": sponsor.name,
            "identity_number": sponsor.identity_number,
            "address": sponsor.address,
            "regency": sponsor.regency_id,
            "phone": sponsor.phone,
        }
