"""Forms of the operations pages: shape and bounds only; the services decide what is allowed."""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silahap.accounts.models import Agency, Membership, OrgUnit, User
from silahap.formfields import model_choice
from silahap.idempotency.forms import IdempotentForm
from silahap.inputs import CountField, RecordsField, free_text_field
from silahap.operations.models import (
    Operation,
    OperationStatus,
    OperationTarget,
    OperationTeam,
    TeamKind,
    TeamLevel,
)
from silahap.registry.models import District, Place, Province, Regency
from silahap.supervision.models import Warrant

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PLANNED_KINDS = [choice for choice in Operation.Kind.choices if choice[0] != "national"]


def _below(units: list[OrgUnit]) -> Q:
    query = Q(pk__in=[])
    for unit in units:
        query |= Q(path__startswith=unit.path)
    return query


def local_datetime(value: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The wall-clock time typed on the page, read in the office's own zone (WIB/WITA/WIT)."""
    return timezone.make_aware(value.replace(tzinfo=None), zone)


class PeriodMixin:
    zone: zoneinfo.ZoneInfo

    def clean(self):
        cleaned = super().clean()
        for name in ("starts_at", "ends_at"):
            if cleaned.get(name):
                cleaned[name] = local_datetime(cleaned[name], self.zone)
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error(
                "ends_at",
                _("The operation must end after it starts: fix the end date and time."),
            )
        return cleaned


class OperationForm(PeriodMixin, IdempotentForm):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("leading unit"))
    kind = forms.ChoiceField(choices=PLANNED_KINDS, label=_("kind"))
    number = forms.CharField(max_length=100, label=_("operation number"))
    name = forms.CharField(max_length=200, label=_("name"))
    starts_at = forms.DateTimeField(widget=LOCAL, label=_("start (office time)"))
    ends_at = forms.DateTimeField(widget=LOCAL, label=_("end (office time)"))
    regency = forms.ModelChoiceField(
        queryset=Regency.objects.none(), required=False, label=_("area (regency/city)")
    )
    objectives = free_text_field(label=_("objectives"))
    legal_basis = free_text_field(label=_("legal basis"))
    warrants = RecordsField(queryset=Warrant.objects.none(), required=False, label=_("warrants"))
    agencies = RecordsField(
        queryset=Agency.objects.none(),
        required=False,
        label=_("participating agencies"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user: User, units: list[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self, "unit").queryset = OrgUnit.objects.filter(_below(units)).exclude(
            kind=OrgUnit.Kind.TEAM
        )
        offices = [office for unit in units if (office := unit.office) is not None]
        model_choice(self, "regency").queryset = Regency.objects.filter(
            offices__in=offices
        ).distinct()
        model_choice(self, "warrants").queryset = Warrant.objects.visible_to(user)
        model_choice(self, "agencies").queryset = Agency.objects.active()
        self.zone = (offices[0] if offices else units[0]).zone


class NationalOperationForm(PeriodMixin, IdempotentForm):
    number = forms.CharField(max_length=100, label=_("operation number"))
    name = forms.CharField(max_length=200, label=_("name"))
    starts_at = forms.DateTimeField(widget=LOCAL, label=_("start (WIB)"))
    ends_at = forms.DateTimeField(widget=LOCAL, label=_("end (WIB)"))
    instructions = free_text_field(label=_("instructions"))
    legal_basis = free_text_field(label=_("legal basis"))
    offices = RecordsField(
        queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.IMMIGRATION_OFFICE, is_active=True),
        label=_("participating offices"),
        widget=forms.CheckboxSelectMultiple,
    )
    target_count = CountField(required=False, label=_("locations to visit per office"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zoneinfo.ZoneInfo(OrgUnit.TimeZone.WIB)


def team_candidates(operation: Operation):
    """Staff of the leading unit or below and partner members of its office: the service
    refuses any other (and a partner of an agency not taking part) with its reason."""
    office = operation.unit.office or operation.unit
    members = Membership.objects.current().filter(
        Q(unit__path__startswith=operation.unit.path, role__in=["officer", "leader"])
        | Q(unit__path__startswith=office.path, role="partner")
    )
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "agency", "full_name"
    )


class TeamAddForm(forms.Form):
    name = forms.CharField(max_length=40, label=_("team"))
    leader = forms.ModelChoiceField(queryset=User.objects.none(), label=_("team leader"))

    def __init__(self, *args, operation: Operation, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self, "leader").queryset = team_candidates(operation).filter(agency="")


class MemberAddForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("person"))
    team = forms.ModelChoiceField(
        queryset=OperationTeam.objects.none(), required=False, label=_("team")
    )

    def __init__(self, *args, operation: Operation, **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone active may be chosen: the service says why one is refused (issue 16 §8).
        model_choice(self, "user").queryset = User.objects.filter(is_active=True).order_by(
            "full_name"
        )
        # Outside the f-string: xgettext does not read calls inside one (make messages).
        immigration = _("immigration")
        self.fields["user"].widget.choices = [("", "---------")] + [
            (user.pk, f"{user} ({user.agency or immigration})")
            for user in team_candidates(operation)
        ]
        model_choice(self, "team").queryset = operation.teams.all()


class AgencyAddForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("agency"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self, "agency").queryset = Agency.objects.active()


def target_places(operation: Operation):
    office = operation.unit.office or operation.unit
    regencies = [operation.regency_id] if operation.regency_id else office.work_area.all()
    return Place.objects.filter(regency__in=regencies, merged_into__isnull=True).order_by("name")


class TargetAddForm(forms.Form):
    place = forms.ModelChoiceField(queryset=Place.objects.none(), required=False, label=_("place"))
    label = forms.CharField(max_length=200, required=False, label=_("or an area with no place yet"))
    team = forms.ModelChoiceField(
        queryset=OperationTeam.objects.none(), required=False, label=_("team")
    )

    def __init__(self, *args, operation: Operation, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self, "place").queryset = target_places(operation)
        model_choice(self, "team").queryset = operation.teams.all()


class StopForm(forms.Form):
    to = forms.ChoiceField(
        choices=[
            (OperationStatus.POSTPONED, _("Postpone")),
            (OperationStatus.CANCELLED, _("Cancel")),
        ],
        label=_("action"),
    )
    reason = forms.CharField(max_length=500, label=_("reason"))


class ReportForm(forms.Form):
    conclusions = free_text_field(required=True, label=_("conclusions"))
    recommendations = free_text_field(label=_("recommendations"))


class PartnerActionForm(IdempotentForm):
    target = forms.ModelChoiceField(queryset=OperationTarget.objects.none(), label=_("target"))
    description = forms.CharField(
        max_length=500, label=_("what your agency did"), widget=forms.Textarea(attrs={"rows": 2})
    )
    count = CountField(required=False, label=_("how many (persons, documents)"))
    photo = forms.FileField(required=False, label=_("photo (optional)"))

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        # Any target id is accepted here: the service refuses one of another operation.
        model_choice(self, "target").queryset = OperationTarget.objects.all()
        self.fields["target"].widget.choices = [("", "---------")] + [
            (target.pk, str(target)) for target in targets
        ]


class TeamForm(IdempotentForm):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("unit"))
    kind = forms.ChoiceField(choices=TeamKind.choices, label=_("kind"))
    level = forms.ChoiceField(choices=TeamLevel.choices, label=_("level"))
    name = forms.CharField(max_length=200, label=_("name"))
    province = forms.ModelChoiceField(
        queryset=Province.objects.all(), required=False, label=_("province")
    )
    regency = forms.ModelChoiceField(
        queryset=Regency.objects.all(), required=False, label=_("regency/city")
    )
    district = forms.CharField(max_length=8, required=False, label=_("district code"))
    decree_number = forms.CharField(max_length=100, label=_("decree number"))
    decree_date = forms.DateField(widget=DATE, label=_("decree date"))
    mandate_start = forms.DateField(widget=DATE, label=_("mandate from"))
    mandate_end = forms.DateField(widget=DATE, label=_("mandate until"))
    agencies = RecordsField(
        queryset=Agency.objects.none(),
        required=False,
        label=_("member agencies"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units: list[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self, "unit").queryset = OrgUnit.objects.filter(_below(units)).exclude(
            kind=OrgUnit.Kind.TEAM
        )
        model_choice(self, "agencies").queryset = Agency.objects.active()

    def clean_district(self):
        code = self.cleaned_data.get("district") or ""
        if not code:
            return None
        district = District.objects.filter(code=code).first()
        if district is None:
            raise forms.ValidationError(_("Unknown district code."))
        return district


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("person"))
    position = forms.CharField(max_length=100, required=False, label=_("position in the team"))

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        office = unit.office or unit
        members = Membership.objects.current().filter(unit__path__startswith=office.path)
        model_choice(self, "user").queryset = User.objects.filter(
            pk__in=members.values("user_id"), is_active=True
        ).order_by("agency", "full_name")


class MeetingForm(IdempotentForm):
    held_at = forms.DateTimeField(widget=LOCAL, label=_("date and time"))
    place = forms.CharField(max_length=200, label=_("place"))
    agenda = free_text_field(required=True, label=_("agenda"))
    minutes = free_text_field(label=_("minutes"))

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = (team.unit.office or team.unit).zone
        self.agency_rows = [("", _("Immigration"))] + [
            (agency.code, agency.short_name) for agency in team.agencies.all()
        ]
        for code, label in self.agency_rows:
            self.fields[f"present_{code or 'immigration'}"] = CountField(
                required=False, label=_("present: %(agency)s") % {"agency": label}
            )
        owners = User.objects.filter(pk__in=team.members.values("user_id"))
        for index in range(3):
            self.fields[f"decision_{index}"] = forms.CharField(
                max_length=500, required=False, label=_("decision %(n)d") % {"n": index + 1}
            )
            self.fields[f"owner_{index}"] = forms.ModelChoiceField(
                queryset=owners, required=False, label=_("owner")
            )
            self.fields[f"due_{index}"] = forms.DateField(
                widget=DATE, required=False, label=_("due date")
            )

    def clean_held_at(self):
        return local_datetime(self.cleaned_data["held_at"], self.zone)
