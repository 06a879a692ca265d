"""Forms of the place registry: shape only; the services say what is refused (areas that do not
nest)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from silahap import limits
from silahap.formfields import PlainBoundField, PlainSelect
from silahap.idempotency.forms import IdempotentForm
from silahap.inputs import free_text_field
from silahap.registry.forms.areas import RegencyChoiceField, clean_text
from silahap.registry.models import District, PlaceKind, Province, Regency, Village

# Radii offered on the "places near a point" page, in metres.
RADII = (500, 1000, 2000, 5000, 10000)
DEFAULT_RADIUS = 1000


class PlaceSearchForm(forms.Form):
    # A list page renders these three fields on every request: written in one pass.
    bound_field_class = PlainBoundField

    q = forms.CharField(
        label=_("Place name"),
        required=False,
        max_length=limits.SEARCH_TERM,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of place"),
        required=False,
        choices=[("", _("Any"))] + PlaceKind.choices,
        widget=PlainSelect,
    )
    regency = RegencyChoiceField(required=False, empty_label=_("Any"))

    def clean(self):
        data = super().clean()
        clean_text(data, "q")
        return data


class PlaceForm(forms.Form):
    """A place under supervision. Each area select lists only the areas inside the one chosen
    above it, so what was typed comes back whole after a refusal, with or without JavaScript."""

    name = forms.CharField(label=_("Place name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of place"), choices=PlaceKind.choices)
    address = free_text_field(label=_("Address"))
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("— choose —"),
    )
    regency = forms.ModelChoiceField(
        label=_("Regency/city"), queryset=Regency.objects.none(), to_field_name="code"
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), to_field_name="code", required=False
    )
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=Village.objects.none(), to_field_name="code", required=False
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    FIELDS = (
        "name",
        "kind",
        "address",
        "regency",
        "district",
        "village",
        "latitude",
        "longitude",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = self._chosen("province")
        regency = self._chosen("regency")
        district = self._chosen("district")
        self.fields["regency"].queryset = Regency.objects.filter(province_id=province).order_by(
            "name"
        )
        self.fields["district"].queryset = District.objects.filter(regency_id=regency).order_by(
            "name"
        )
        self.fields["village"].queryset = Village.objects.filter(district_id=district).order_by(
            "name"
        )
        # place_form.js refills a select's child from registry:area_options/<level>.
        children = {"province": "regency", "regency": "district", "district": "village"}
        for name, child in children.items():
            self.fields[name].widget.attrs["data-child"] = child
        for name in ("regency", "district", "village"):
            self.fields[name].widget.attrs["data-level"] = name
        for name in ("regency", "district", "village"):
            self.fields[name].empty_label = _("— choose —")

    def _chosen(self, name: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "") or ""
        value = self.initial.get(name)
        return str(getattr(value, "pk", value) or "")

    @classmethod
    def initial_from(cls, place) -> dict:
        return {
            "name": place.name,
            "kind": place.kind,
            "address": place.address,
            "province": place.regency.province_id,
            "regency": place.regency_id,
            "district": place.district_id,
            "village": place.village_id,
            "latitude": place.latitude,
            "longitude": place.longitude,
        }

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class PlaceCreateForm(IdempotentForm, PlaceForm):
    """Registering a place: the same form with the key that makes a double tap register one."""


class PlacesNearForm(forms.Form):
    lat = forms.DecimalField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lng = forms.DecimalField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    radius = forms.TypedChoiceField(
        label=_("Within"),
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS,  # type: ignore[arg-type]  # an int, as coerce gives
        initial=DEFAULT_RADIUS,
        choices=[(radius, f"{radius / 1000:g} km") for radius in RADII],
    )
