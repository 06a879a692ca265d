"""The upload form: which office, what the file holds, and the file."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from silahap.accounts.models import OrgUnit
from silahap.idempotency.forms import IdempotentForm
from silahap.registry.models_imports import ImportKind


class ImportUploadForm(IdempotentForm):
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, offices: list[OrgUnit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        office = self.fields["office"]
        assert isinstance(office, forms.ModelChoiceField)
        office.queryset = OrgUnit.objects.filter(pk__in=[o.pk for o in offices])
        if len(offices) == 1:
            self.fields["office"].initial = offices[0].pk
            self.fields["office"].widget = forms.HiddenInput()

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = settings.SILAHAP_IMPORT_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": limit // 2**20 or 1}
            )
        if not uploaded.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return uploaded
