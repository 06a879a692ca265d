"""What the evaluation pages read from the query string, bounded and validated."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from silahap import limits
from silahap.insights import metrics, periods

LEVELS = [("office", _("Offices")), ("region", _("Regions"))]
NORMS = [
    ("total", _("Total")),
    ("officer", _("Per officer")),
    ("foreigners", _("Per 1,000 foreigners")),
]


class PeriodForm(forms.Form):
    p = forms.CharField(
        label=pgettext_lazy("evaluation", "Period"),
        required=False,
        max_length=30,
        help_text=_("2026-11 (month), 2026-Q4 (quarter), 2026 (year) or 2026-11-03..2026-11-20"),
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_p(self) -> periods.Period:
        try:
            return periods.parse(self.cleaned_data.get("p") or "", today=self.today)
        except periods.PeriodError as error:
            raise forms.ValidationError(str(error)) from None


class LeagueForm(PeriodForm):
    metric = forms.ChoiceField(
        label=_("Metric"), required=False, choices=[(m.key, m.key) for m in metrics.LEAGUE]
    )
    level = forms.ChoiceField(label=_("Compare"), required=False, choices=LEVELS)
    norm = forms.ChoiceField(label=_("Show"), required=False, choices=NORMS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(m.key, m.label) for m in metrics.LEAGUE]

    def clean_metric(self) -> str:
        return self.cleaned_data.get("metric") or "activities"

    def clean_level(self) -> str:
        return self.cleaned_data.get("level") or "office"

    def clean_norm(self) -> str:
        return self.cleaned_data.get("norm") or "total"


class MapForm(PeriodForm):
    unit = forms.IntegerField(label=_("Unit"), required=False, min_value=1, max_value=limits.ID_MAX)
    violation = forms.CharField(label=_("Violation type"), required=False, max_length=40)
    nationality = forms.CharField(label=_("Nationality"), required=False, max_length=2)
    zoom = forms.IntegerField(required=False, min_value=0, max_value=19)
    south = forms.FloatField(required=False, min_value=-90, max_value=90)
    north = forms.FloatField(required=False, min_value=-90, max_value=90)
    west = forms.FloatField(required=False, min_value=-180, max_value=180)
    east = forms.FloatField(required=False, min_value=-180, max_value=180)

    def clean_nationality(self) -> str:
        return (self.cleaned_data.get("nationality") or "").upper()


class RecapCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Leader's comment for the month"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("Printed in the monthly recap. At most 2,000 characters."),
    )
