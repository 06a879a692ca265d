"""The console's forms: register a client, issue a token, subscribe a webhook."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access
from silahap.accounts.models import OrgUnit
from silahap.integration.feed import PUBLISHED_TYPES
from silahap.integration.models import AccessLevel, Resource


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Name of the system"), max_length=120)
    unit = forms.ModelChoiceField(
        label=_("Scope (this unit and below)"), queryset=OrgUnit.objects.none()
    )
    access = forms.ChoiceField(label=_("Access"), choices=AccessLevel.choices)
    resources = forms.MultipleChoiceField(
        label=_("Resources"), choices=Resource.choices, widget=forms.CheckboxSelectMultiple
    )
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    requests_per_minute = forms.IntegerField(
        label=_("Requests per minute"), min_value=1, max_value=6000, initial=120
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        within = Q(pk__in=[])
        for unit in access.administered_units(user):
            within |= Q(path__startswith=unit.path)
        units = OrgUnit.objects.all() if user.is_superuser else OrgUnit.objects.filter(within)
        self.fields["unit"].queryset = units.order_by("path")


class TokenForm(forms.Form):
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=366, initial=90
    )


class SubscriptionForm(forms.Form):
    url = forms.URLField(label=_("Target URL (https)"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        choices=[(name, name) for name in PUBLISHED_TYPES],
        widget=forms.CheckboxSelectMultiple,
    )
