from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silahap import limits
from silahap.accounts.models import OrgUnit
from silahap.inputs import CountField, IdField, free_text_field
from silahap.oversight.models import DataCategory, Incident
from silahap.registry.purposes import ViewPurpose

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class MinuteDateTimeField(forms.DateTimeField):
    """A moment entered to the minute: one stored with seconds is unchanged if the minute is."""

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            value = self.to_python(data)
        except forms.ValidationError:
            return True
        if initial is None or value is None:
            return (initial is None) != (value is None)
        return timezone.localtime(initial).replace(second=0, microsecond=0) != value


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("Who (name, username or NIP)"), max_length=150, required=False)
    action = forms.CharField(
        label=_("Action"),
        max_length=80,
        required=False,
        help_text=_('e.g. person.view; end with a dot ("person.") for every action on persons'),
    )
    object_type = forms.CharField(label=_("Record type"), max_length=80, required=False)
    object_id = forms.CharField(label=_("Record id"), max_length=64, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("", _("Any purpose")), *ViewPurpose.choices],
        required=False,
    )
    text = forms.CharField(
        label=_("Text in the details"), max_length=limits.AUDIT_TEXT, required=False
    )
    before = IdField(required=False, widget=forms.HiddenInput)

    FILTERS = ["actor", "action", "object_type", "object_id", "date_from", "date_to", "purpose"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters_used(self) -> dict:
        """The filters as the audit event of the search keeps them (dates as ISO text)."""
        return {
            name: str(self.cleaned_data[name])
            for name in [*self.FILTERS, "text"]
            if self.cleaned_data.get(name)
        }


class PersonDataExportForm(forms.Form):
    reference = forms.CharField(
        label=_("Request reference number"),
        max_length=60,
        help_text=_("The number the data subject's written request was registered under."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the person asked for, e.g. access to their data (UU 27/2022 Pasal 7)."),
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("csv", "CSV"), ("json", "JSON")],
        initial="csv",
        widget=forms.RadioSelect,
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip()


class IncidentForm(forms.ModelForm):
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    description = free_text_field(
        label=_("what happened"), required=True, widget=forms.Textarea(attrs={"rows": 4})
    )
    measures = free_text_field(label=_("measures taken"), widget=forms.Textarea(attrs={"rows": 3}))
    subjects_count = CountField(label=_("approximate number of data subjects"))
    data_categories = forms.MultipleChoiceField(
        label=_("Categories of data"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Incident
        fields = [
            "office",
            "reference",
            "discovered_at",
            "description",
            "data_categories",
            "subjects_count",
            "measures",
            "status",
            "authority_notified_at",
            "subjects_notified_at",
        ]
        field_classes = {
            "discovered_at": MinuteDateTimeField,
            "authority_notified_at": MinuteDateTimeField,
            "subjects_notified_at": MinuteDateTimeField,
        }
        widgets = {
            "discovered_at": DateTimeLocalInput(),
            "authority_notified_at": DateTimeLocalInput(),
            "subjects_notified_at": DateTimeLocalInput(),
        }

    def __init__(self, *args: Any, offices: Iterable[OrgUnit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("discovered_at", "authority_notified_at", "subjects_notified_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = [DATETIME_LOCAL]
        if self.instance.pk:
            del self.fields["office"]
            del self.fields["client_id"]
        else:
            office = self.fields["office"]
            assert isinstance(office, forms.ModelChoiceField)
            office.queryset = OrgUnit.objects.filter(pk__in=[unit.pk for unit in offices or []])
            office.empty_label = None
            self.fields["client_id"].initial = uuid.uuid4()
            self.fields["client_id"].required = True

    def repeated(self, user: Any) -> Incident | None:
        """The incident a repeated submit of this page already registered, if any."""
        try:
            client_id = uuid.UUID(str(self.data.get("client_id", "")))
        except ValueError:
            return None
        return Incident.objects.visible_to(user).filter(client_id=client_id).first()

    def service_data(self) -> dict:
        # On a correction only what was changed: the page shows times to the minute, and
        # resaving must not cut the seconds off a discovery time recorded elsewhere.
        names = self.changed_data if self.instance.pk else list(self.cleaned_data)
        return {
            name: self.cleaned_data[name] for name in names if name not in ("client_id", "office")
        }
