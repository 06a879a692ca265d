from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.formfields import model_choice
from silahap.idempotency.forms import IdempotentForm
from silahap.inputs import IdField, RecordsField, free_text_field
from silahap.supervision.models import (
    AbsenceKind,
    ActionKind,
    FollowUpStatus,
    StepKind,
    StepStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def units_below(units: list[OrgUnit]):
    query = Q(pk__in=[])
    for unit in units:
        query |= Q(path__startswith=unit.path)
    return OrgUnit.objects.filter(query)


def people_within(units: list[OrgUnit]):
    """Active users currently holding a membership in these units or below."""
    members = Membership.objects.current().filter(access.subtree_q(units)).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True, agency="").order_by("full_name")


class WarrantForm(IdempotentForm):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("unit"))
    number = forms.CharField(max_length=100, label=_("warrant number"))
    issued_on = forms.DateField(widget=DATE, label=_("warrant date"))
    signer = forms.CharField(max_length=200, label=_("signed by"))
    basis = free_text_field(label=_("basis"))
    targets = free_text_field(label=_("targets"))
    period_start = forms.DateField(widget=DATE, label=_("valid from"))
    period_end = forms.DateField(widget=DATE, label=_("valid until"))
    members = RecordsField(queryset=User.objects.none(), required=False, label=_("members"))
    scan = forms.FileField(required=False, label=_("scan of the signed warrant (PDF, JPEG, PNG)"))

    def __init__(self, *args, units: list[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self, "unit").queryset = units_below(units)
        model_choice(self, "members").queryset = people_within(units)


class TaskForm(IdempotentForm):
    assignee = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("officer")
    )
    team = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False, label=_("team"))
    target_area = forms.CharField(max_length=300, required=False, label=_("place, person or area"))
    instructions = free_text_field(
        widget=forms.Textarea(attrs={"rows": 3}), required=True, label=_("instructions")
    )
    due_date = forms.DateField(widget=DATE, label=_("due date"))

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self, "assignee").queryset = people_within([unit])
        model_choice(self, "team").queryset = OrgUnit.objects.subtree_of(unit).filter(
            kind=OrgUnit.Kind.TEAM
        )


class TaskLinkForm(forms.Form):
    activity = IdField(widget=forms.HiddenInput)


class StepForm(IdempotentForm):
    kind = forms.ChoiceField(choices=StepKind.choices, label=_("step"))
    action_kind = forms.ChoiceField(
        choices=[("", "—"), *ActionKind.choices], required=False, label=_("administrative action")
    )
    assignee = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("assignee")
    )
    due_date = forms.DateField(widget=DATE, required=False, label=_("due date"))
    notes = free_text_field(label=_("notes"))

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self, "assignee").queryset = people_within([unit.office or unit])


class StepUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=StepStatus.choices, label=_("status"))
    decision_number = forms.CharField(max_length=100, required=False, label=_("decision number"))
    notes = free_text_field(label=_("notes"))


class FollowUpFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", _("any status"))] + FollowUpStatus.choices, required=False, label=_("Status")
    )
    kind = forms.ChoiceField(
        choices=[("", _("any step"))] + StepKind.choices, required=False, label=_("Step")
    )
    overdue = forms.BooleanField(required=False, label=_("overdue only"))
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), required=False, label=_("unit"))

    def __init__(self, *args, units: list[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        unit = model_choice(self, "unit")
        unit.queryset = units_below(units)
        unit.empty_label = _("all my units")


class AbsenceForm(IdempotentForm):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label=_("officer"))
    kind = forms.ChoiceField(choices=AbsenceKind.choices, label=_("kind"))
    start_date = forms.DateField(widget=DATE, label=_("from"))
    end_date = forms.DateField(widget=DATE, label=_("until"))
    note = forms.CharField(max_length=300, required=False, label=_("note"))

    def __init__(self, *args, units: list[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self, "user").queryset = people_within(units)
