"""Forms of guidance's pages: shape and bounds; the rules are in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from silahap import limits
from silahap.accounts.models import OrgUnit, User
from silahap.formfields import model_choice
from silahap.guidance.models import AboutKind, Priority, Sop, SopCategory
from silahap.idempotency.forms import IdempotentForm
from silahap.inputs import IdField, RecordsField, free_text_field
from silahap.supervision.forms import people_within, units_below

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OUTSIDE_UNIT = _("Choose only people and units within yours; %(value)s is not one of them.")


class DirectionForm(IdempotentForm):
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label=_("from unit"), empty_label=None
    )
    body = free_text_field(
        required=True, widget=forms.Textarea(attrs={"rows": 4}), label=_("direction")
    )
    units = RecordsField(
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("to teams or units"),
        error_messages={"invalid_choice": OUTSIDE_UNIT},
    )
    people = RecordsField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("to people"),
        error_messages={"invalid_choice": OUTSIDE_UNIT},
    )
    priority = forms.ChoiceField(
        choices=Priority.choices,
        initial=Priority.NORMAL,
        widget=forms.RadioSelect,
        label=_("priority"),
    )
    action_required = forms.BooleanField(
        required=False, initial=True, label=_("asks for action (mark done with a note)")
    )
    due_date = forms.DateField(required=False, widget=DATE, label=_("due date"))
    about_type = forms.ChoiceField(
        choices=[("", _("nothing in particular")), *AboutKind.choices],
        required=False,
        label=_("about"),
    )
    about_id = IdField(required=False, label=_("its number"))
    attachment = forms.FileField(required=False, label=_("attachment (PDF or photo)"))

    def __init__(self, *args, leader_units: list[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        below = units_below(leader_units).select_related(None)
        model_choice(self, "unit").queryset = OrgUnit.objects.filter(
            pk__in=[u.pk for u in leader_units]
        )
        model_choice(self, "units").queryset = below
        model_choice(self, "people").queryset = people_within(leader_units)
        self.today = min(unit.local_today() for unit in leader_units)
        if len(leader_units) == 1:
            self.fields["unit"].initial = leader_units[0].pk
            self.fields["unit"].widget = forms.HiddenInput()

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        if due is not None and due < self.today:
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class DoneForm(forms.Form):
    note = free_text_field(required=True, label=_("what was done"))
    activity = IdField(required=False, label=_("activity number (optional)"))


class NoteForm(IdempotentForm):
    body = free_text_field(required=True, label=_("note"))


class SearchForm(forms.Form):
    q = forms.CharField(max_length=limits.SEARCH_TERM, required=False, label=_("search"))


ROLE_CHOICES = [
    ("officer", _("Officers")),
    ("leader", _("Leaders")),
    ("analyst", _("Analysts")),
]


class SopForm(IdempotentForm):
    title = forms.CharField(max_length=200, label=_("title"))
    category = forms.ChoiceField(choices=SopCategory.choices, label=_("category"))
    required_roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("required reading for"),
    )
    number = forms.CharField(max_length=20, label=_("version"))
    effective_date = forms.DateField(widget=DATE, label=_("effective from"))
    changes = free_text_field(label=_("what changed"))
    file = forms.FileField(label=_("document (PDF)"))


class SopVersionForm(IdempotentForm):
    number = forms.CharField(max_length=20, label=_("version"))
    effective_date = forms.DateField(widget=DATE, label=_("effective from"))
    changes = free_text_field(required=True, label=_("what changed"))
    file = forms.FileField(label=_("document (PDF)"))


class TutorialForm(IdempotentForm):
    title = forms.CharField(max_length=200, label=_("title"))
    description = free_text_field(label=_("description"))
    sop = forms.ModelChoiceField(
        queryset=Sop.objects.none(), required=False, label=_("belongs to the SOP")
    )
    required_roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("required for"),
    )
    video = forms.FileField(label=_("video (MP4 or WebM)"))
    captions = forms.FileField(required=False, label=_("captions in Indonesian (WebVTT, .vtt)"))
    quiz = free_text_field(
        widget=forms.Textarea(attrs={"rows": 6}),
        label=_("quiz (optional)"),
        help_text=_("One question per line starting with Q:, then its choices: - wrong, * right."),
    )
    pass_mark = forms.IntegerField(
        required=False, min_value=1, max_value=100, label=_("pass mark (%)")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice(self, "sop").queryset = Sop.objects.order_by("title")
