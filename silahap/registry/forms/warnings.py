"""The permit warnings page's filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from silahap.formfields import PlainBoundField, PlainSelect
from silahap.registry.warnings import EXPIRING, OVERSTAY


class WarningFilterForm(forms.Form):
    # The page renders both fields on every request: written in one pass.
    bound_field_class = PlainBoundField

    # A national analyst chooses among ~125 offices: written in one pass (PlainSelect).
    office = forms.TypedChoiceField(
        label=_("Office"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    kind = forms.ChoiceField(
        label=_("Warning"),
        required=False,
        choices=[
            ("", _("Expiring and overstay")),
            (EXPIRING, _("Expiring within 30 days")),
            (OVERSTAY, _("Overstay")),
        ],
        widget=PlainSelect,
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("All my offices"))] + [
            (office.pk, office.name) for office in offices
        ]
