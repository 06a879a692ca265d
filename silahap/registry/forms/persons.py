"""Forms of the person registry: search, purpose, create and correct. Validation lives in
silahap.registry.validation, shared with the services, so messages appear beside the fields."""

from __future__ import annotations

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from silahap import limits
from silahap.formfields import PlainSelect
from silahap.inputs import free_text_field
from silahap.registry import validation
from silahap.registry.models import (
    ForeignNational,
    PermitType,
    Sponsor,
    TravelDocument,
    VisaIndex,
)
from silahap.registry.purposes import ViewPurpose
from silahap.registry.queries import PERMIT_STATUSES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class NationalityChoices(BaseChoiceIterator):
    """The empty choice, then the ~250 countries as the model field holds them.

    An iterator, which the form field and its widget keep as it is: given a list, each walks
    every (code, name) pair to normalise it, a few milliseconds of every person search."""

    def __init__(self, empty_label) -> None:
        self.empty_label = empty_label

    def __iter__(self):
        yield ("", self.empty_label)
        yield from ForeignNational._meta.get_field("nationality").choices or ()


def nationality_choices(empty_label) -> NationalityChoices:
    return NationalityChoices(empty_label)


PERMIT_STATUS_LABELS = {
    "valid": _("Valid (more than 30 days left)"),
    "expiring": _("Expiring within 30 days"),
    "expired": _("Expired"),
}


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or document number"),
        required=False,
        max_length=limits.SEARCH_TERM,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "data-testid": "search-query"}
        ),
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"), required=False, choices=(), widget=PlainSelect
    )
    permit_status = forms.ChoiceField(
        label=_("Stay permit"),
        required=False,
        choices=[("", _("Any"))]
        + [(status, PERMIT_STATUS_LABELS[status]) for status in PERMIT_STATUSES],
    )
    sponsor = forms.CharField(
        label=_("Sponsor (name or NIK / NIB)"), required=False, max_length=limits.SEARCH_TERM
    )
    place = forms.CharField(
        label=_("Checked at (place name)"), required=False, max_length=limits.SEARCH_TERM
    )

    FILTERS = ("nationality", "permit_status", "sponsor", "place")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = nationality_choices(_("Any"))

    def clean(self):
        data = super().clean()
        for name in ("q", "sponsor", "place"):
            data[name] = " ".join(data.get(name, "").split())
        return data

    def filters_used(self) -> list[str]:
        data = getattr(self, "cleaned_data", {})
        return [name for name in self.FILTERS if data.get(name)]


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Why are you opening this record?"),
        choices=ViewPurpose.choices,
        widget=forms.RadioSelect,
    )


class PersonFieldsMixin:
    """Validation shared by creating a person and correcting one."""

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not any(ch.isalpha() for ch in name):
            raise forms.ValidationError(_("Enter the name as written in the passport."))
        return name

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        error = validation.birth_date_error(birth_date)
        if error:
            raise forms.ValidationError(error)
        return birth_date


def _sponsor_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Sponsor"),
        queryset=Sponsor.objects.order_by("name"),
        required=False,
        empty_label=_("— none —"),
    )


class PersonForm(PersonFieldsMixin, forms.ModelForm):
    """A person's identity, as corrected on the edit page."""

    sponsor = _sponsor_field()
    address = free_text_field(label=_("Address in Indonesia"))

    class Meta:
        model = ForeignNational
        fields = [
            "full_name",
            "sex",
            "birth_date",
            "birth_place",
            "nationality",
            "occupation",
            "address",
            "sponsor",
        ]
        widgets = {"birth_date": DateInput()}


class PersonCreateForm(PersonFieldsMixin, forms.Form):
    """A new person with their travel document and, if known, their stay permit."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=ForeignNational.Sex.choices, initial=ForeignNational.Sex.UNSPECIFIED
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_place = forms.CharField(label=_("Place of birth"), max_length=100, required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=(), widget=PlainSelect)
    occupation = forms.CharField(label=_("Occupation"), max_length=150, required=False)
    address = free_text_field(label=_("Address in Indonesia"))
    document_kind = forms.ChoiceField(
        label=_("Document"),
        choices=TravelDocument.Kind.choices,
        initial=TravelDocument.Kind.PASSPORT,
    )
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    document_country = forms.ChoiceField(
        label=_("Issuing country"), choices=(), required=False, widget=PlainSelect
    )
    document_expiry = forms.DateField(
        label=_("Document valid until"), required=False, widget=DateInput()
    )
    permit_type = forms.ChoiceField(
        label=_("Stay permit"), choices=[("", "—"), *PermitType.choices], required=False
    )
    permit_number = forms.CharField(label=_("Permit number"), max_length=40, required=False)
    visa_index = forms.ModelChoiceField(
        label=_("Visa index"),
        queryset=VisaIndex.objects.filter(is_active=True).order_by("code"),
        required=False,
        empty_label="—",
    )
    permit_issued_on = forms.DateField(
        label=_("Permit issued on"), required=False, widget=DateInput()
    )
    permit_valid_until = forms.DateField(
        label=_("Permit valid until"), required=False, widget=DateInput()
    )
    sponsor = _sponsor_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = nationality_choices(_("— choose —"))
        self.fields["document_country"].choices = nationality_choices(_("Same as nationality"))

    def clean_document_number(self):
        return validation.clean_document_number(self.cleaned_data["document_number"])

    def clean(self):
        data = super().clean()
        number = data.get("document_number")
        if number:
            error = validation.document_number_error(number, data.get("document_kind", ""))
            if error:
                self.add_error("document_number", error)
        if data.get("permit_type"):
            errors = validation.permit_dates_errors(
                data.get("permit_issued_on"), data.get("permit_valid_until")
            )
            for field, message in errors.items():
                self.add_error(f"permit_{field}", message)
            visa_index = data.get("visa_index")
            if visa_index is not None and visa_index.permit_type != data["permit_type"]:
                self.add_error(
                    "visa_index", _("This visa index belongs to another kind of stay permit.")
                )
        elif any(data.get(f) for f in ("permit_number", "permit_valid_until", "visa_index")):
            self.add_error("permit_type", _("Choose the kind of stay permit."))
        return data


class DocumentForm(forms.Form):
    """Another travel document of a person; whose it is, if anyone's, the service says."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=TravelDocument.Kind.choices, initial=TravelDocument.Kind.PASSPORT
    )
    number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    issuing_country = forms.ChoiceField(label=_("Issuing country"), choices=(), widget=PlainSelect)
    expiry_date = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_country"].choices = nationality_choices(_("— choose —"))

    def clean_number(self):
        return validation.clean_document_number(self.cleaned_data["number"])

    def clean(self):
        data = super().clean()
        if data.get("number"):
            error = validation.document_number_error(data["number"], data.get("kind", ""))
            if error:
                self.add_error("number", error)
        return data


class PermitForm(forms.Form):
    """A stay permit of a person; valid until a date after its issue."""

    permit_type = forms.ChoiceField(label=_("Permit type"), choices=PermitType.choices)
    visa_index = forms.ModelChoiceField(
        label=_("Visa index"), queryset=VisaIndex.objects.none(), required=False, empty_label="—"
    )
    number = forms.CharField(label=_("Permit number"), max_length=40, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    sponsor = _sponsor_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visa_index"].queryset = VisaIndex.objects.filter(is_active=True).order_by(
            "code"
        )

    def clean(self):
        data = super().clean()
        for field, message in validation.permit_dates_errors(
            data.get("issued_on"), data.get("valid_until")
        ).items():
            self.add_error(field, message)
        visa_index, permit_type = data.get("visa_index"), data.get("permit_type")
        if visa_index is not None and permit_type and visa_index.permit_type != permit_type:
            self.add_error(
                "visa_index", _("This visa index belongs to another kind of stay permit.")
            )
        return data
