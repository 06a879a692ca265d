from __future__ import annotations

import datetime
import json
import re
import uuid
from typing import cast

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silahap.inputs import CountField, IdField, free_text_field
from silahap.registry.models import (
    District,
    ForeignNational,
    PermitType,
    Place,
    PlaceKind,
    Province,
    Regency,
    TravelDocument,
    Village,
)
from silahap.reports.models import (
    Activity,
    ActivityKind,
    ActivitySource,
    CheckResult,
    Classification,
    Finding,
    VerificationMethod,
    ViolationType,
)

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ClientIdField(forms.UUIDField):
    """The id the page generated for this write, so a retry or double tap is recognised."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=True, **kwargs)


def new_client_id() -> str:
    return str(uuid.uuid4())


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class DateInputField(forms.DateField):
    """A date from `<input type="date">`, which always sends YYYY-MM-DD: read at once, not after
    a failed strptime for each format the language types dates in (Indonesian lists eight
    before ISO). Any other text, or an impossible date, is read and refused as before."""

    def to_python(self, value):
        if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        return super().to_python(value)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class ActivityForm(forms.Form):
    client_id = ClientIdField()
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ActivityKind.choices,
        widget=forms.RadioSelect,
        initial=ActivityKind.FIELD,
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=ActivitySource.choices, initial=ActivitySource.INDEPENDENT
    )
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        widget=forms.RadioSelect,
        initial=Classification.OPEN,
    )
    warrant_number = forms.CharField(label=_("Warrant number"), max_length=100, required=False)
    warrant_date = DateInputField(
        label=_("Warrant date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    warrant_to_follow = forms.BooleanField(
        label=_("Urgent: warrant to follow within one day"), required=False
    )
    started_at = forms.DateTimeField(
        label=_("Start"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=LocalDateTimeInput(),
    )
    ended_at = forms.DateTimeField(
        label=_("End"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        required=False,
        widget=LocalDateTimeInput(),
    )
    latitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        widget=forms.HiddenInput,
    )
    location_accuracy_m = CountField(required=False, widget=forms.HiddenInput)
    location_source = forms.ChoiceField(
        choices=[("gps", "gps"), ("map", "map"), ("none", "none")],
        required=False,
        widget=forms.HiddenInput,
    )
    place = forms.ModelChoiceField(queryset=Place.objects.none(), required=False)
    description = free_text_field(
        label=_("What was observed"), widget=forms.Textarea(attrs={"rows": 3})
    )
    conclusion = free_text_field(label=_("Conclusion"))
    recommendation = free_text_field(label=_("Recommendation"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.visible_to(user)
        self.fields["place"].widget = forms.HiddenInput()
        for name in ("source",):
            self.fields[name].widget.attrs["class"] = "wide"

    def clean(self):
        data = super().clean()
        started, ended = data.get("started_at"), data.get("ended_at")
        if started and ended and ended < started:
            self.add_error("ended_at", _("The end cannot be before the start."))
        if (
            data.get("warrant_number")
            and not data.get("warrant_to_follow")
            and not data.get("warrant_date")
        ):
            self.add_error("warrant_date", _("Give the warrant's date."))
        if started and started > timezone.now() + timezone.timedelta(minutes=10):
            self.add_error("started_at", _("An activity cannot start in the future."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error(None, _("The location is incomplete; set it again on the map."))
        return data


class NewPlaceForm(forms.Form):
    """A place created on the spot, inside the activity form (fields prefixed new_place-)."""

    name = forms.CharField(label=_("Place name"), max_length=200)
    # No default: a place's kind is the officer's answer, never a silent "Hotel".
    kind = forms.ChoiceField(
        label=_("Kind of place"), choices=[("", _("— choose —")), *PlaceKind.choices]
    )
    address = free_text_field(label=_("Address"))
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.all(), to_field_name="code"
    )
    regency = forms.ModelChoiceField(
        label=_("Regency/city"), queryset=Regency.objects.all(), to_field_name="code"
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), to_field_name="code", required=False
    )
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=Village.objects.all(), to_field_name="code", required=False
    )

    def clean(self):
        data = super().clean()
        province, regency = data.get("province"), data.get("regency")
        district, village = data.get("district"), data.get("village")
        if province and regency and regency.province_id != province.code:
            self.add_error("regency", _("This regency/city is not in the chosen province."))
        if regency and district and district.regency_id != regency.code:
            self.add_error("district", _("This district is not in the chosen regency/city."))
        if village and (not district or village.district_id != district.code):
            self.add_error("village", _("This village is not in the chosen district."))
        return data


class PersonForm(forms.Form):
    """A foreigner added in the check screen; an MRZ paste fills these fields."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=ForeignNational.Sex.choices)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    nationality = forms.ChoiceField(label=_("Nationality"), choices=())
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters"}),
    )
    document_country = forms.ChoiceField(label=_("Issuing country"), choices=(), required=False)
    document_kind = forms.ChoiceField(
        choices=TravelDocument.Kind.choices,
        initial=TravelDocument.Kind.PASSPORT,
        widget=forms.HiddenInput,
    )
    document_expiry = forms.DateField(required=False, widget=forms.HiddenInput)
    permit_type = forms.ChoiceField(
        label=_("Stay permit"), choices=[("", "—"), *PermitType.choices], required=False
    )
    permit_number = forms.CharField(label=_("Permit number"), max_length=40, required=False)
    permit_valid_until = forms.DateField(
        label=_("Permit valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = [("", _("— choose —"))] + list(
            ForeignNational._meta.get_field("nationality").choices
        )
        self.fields["nationality"].choices = countries
        self.fields["document_country"].choices = countries

    def clean_document_number(self):
        number = self.cleaned_data["document_number"].upper().replace(" ", "")
        if number and (not number.isalnum() or not number.isascii()):
            self.add_error("document_number", _("Use only letters A–Z and digits."))
        return number

    def clean(self):
        data = super().clean()
        birth = data.get("birth_date")
        if birth and birth > timezone.localdate():
            self.add_error("birth_date", _("A date of birth cannot be in the future."))
        if data.get("permit_number") and not data.get("permit_type"):
            self.add_error("permit_type", _("Choose the kind of stay permit."))
        return data


class CheckForm(forms.Form):
    client_id = ClientIdField()
    person = forms.ModelChoiceField(
        queryset=ForeignNational.objects.none(), required=False, widget=forms.HiddenInput
    )
    verification_method = forms.ChoiceField(
        label=_("How the permit was verified"),
        choices=VerificationMethod.choices,
        widget=forms.RadioSelect,
        initial=VerificationMethod.PHYSICAL_DOCUMENT,
    )
    activity_observed = forms.CharField(
        label=_("What the person was doing"), max_length=300, required=False
    )
    matches_permit = forms.TypedChoiceField(
        label=_("Matches the stay permit?"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not sure"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        widget=forms.RadioSelect,
        initial="yes",
    )
    result = forms.ChoiceField(
        label=_("Result"),
        choices=CheckResult.choices,
        widget=forms.RadioSelect,
        initial=CheckResult.COMPLIANT,
    )
    notes = free_text_field(label=_("Notes"))
    # Shown ticked on the form: the overstay finding proposed from the person's expired permit
    # is recorded with the check, in the same step (#15 item 1). Nothing is recorded when the
    # permit has not expired.
    record_proposed_finding = forms.BooleanField(
        label=_("Record the proposed finding if the stay permit has expired (overstay)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = ForeignNational.objects.visible_to(user)


class FindingForm(forms.Form):
    client_id = ClientIdField()
    violation_type = forms.ModelChoiceField(
        label=_("Violation"), queryset=ViolationType.objects.filter(is_active=True)
    )
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=ForeignNational.objects.none(), required=False
    )
    description = free_text_field(label=_("Description"))
    overstay_days = CountField(label=_("Days of overstay"), required=False)

    def __init__(self, *args, activity: Activity | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if activity is not None:
            person = cast(forms.ModelChoiceField, self.fields["person"])
            person.queryset = ForeignNational.objects.filter(checks__activity=activity).distinct()


class SubmitForm(forms.Form):
    client_id = ClientIdField()


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the report go back?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the report goes back to the officer."))
        return reason


class ReviseForm(forms.Form):
    reason = forms.CharField(
        label=_("What needs correcting?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CommentForm(forms.Form):
    client_id = ClientIdField()
    activity = IdField(required=False, widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class EvidenceForm(forms.Form):
    """The photo upload's id and caption; the files themselves are read from request.FILES.

    A phone that resized its photos (static/js/evidence_photo.js) says in `originals`, one
    entry per file in order, what each original is (its key, SHA-256, size, type, EXIF time and
    point) or null for a file sent as it was taken; each entry is checked by
    silahap.reports.evidence.declared_original."""

    client_id = ClientIdField()
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    originals = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=600 * 20, strip=True
    )

    @property
    def original_hours(self) -> str:
        return settings.SILAHAP_EVIDENCE_ORIGINAL_HOURS

    def clean_originals(self) -> list:
        raw = self.cleaned_data.get("originals") or ""
        if not raw:
            return []
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        if not isinstance(value, list) or len(value) > settings.SILAHAP_UPLOAD_MAX_FILES:
            raise forms.ValidationError(_("The description of the photos is unreadable."))
        return value


class ActivityEditForm(ActivityForm):
    """Correcting a saved activity: what, when, the warrant and what was seen; its point and
    place stay as recorded (remove the activity and add it again to move it)."""

    KEPT = ("client_id", "latitude", "longitude", "location_accuracy_m", "location_source", "place")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.KEPT:
            del self.fields[name]


class CheckEditForm(CheckForm):
    """Correcting how a check went; the person stays (remove the check to name someone else)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["client_id"]
        del self.fields["person"]
        del self.fields["record_proposed_finding"]


class FindingEditForm(FindingForm):
    """Correcting a finding: the violation, its description and days of overstay; the person
    stays (withdraw the finding and record another to name someone else)."""

    def __init__(self, *args, finding: Finding, **kwargs):
        super().__init__(*args, activity=finding.activity, **kwargs)
        del self.fields["client_id"]
        del self.fields["person"]
        # A violation type retired since the finding was recorded stays choosable for it.
        violation = cast(forms.ModelChoiceField, self.fields["violation_type"])
        violation.queryset = ViolationType.objects.filter(
            Q(is_active=True) | Q(pk=finding.violation_type_id)
        )
