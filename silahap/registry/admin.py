from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from silahap.admin_site import (
    BoundedAutocompleteMixin,
    ReferenceAdmin,
    ScopedAdmin,
    admin_site,
    is_office_admin,
)
from silahap.audit import services as audit
from silahap.inputs import free_text_field
from silahap.registry import warnings
from silahap.registry.models import (
    District,
    ForeignNational,
    Place,
    Province,
    Regency,
    Sponsor,
    StayPermit,
    TravelDocument,
    Village,
    VisaIndex,
)
from silahap.registry.normalize import normalize_name

# Every read of a person's record is audited with its purpose (DESIGN.md §3).
ADMIN_PURPOSE = "administration"


# The areas sit below accounts (silahap/areas), which cannot import the admin site; their admin
# pages are registered here.
class AreaAdmin(ReferenceAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class VisaIndexAdmin(ReferenceAdmin):
    list_display = ["code", "name", "permit_type", "legal_basis", "is_active"]
    list_filter = ["permit_type", "is_active"]
    search_fields = ["code", "name"]


class RegistryAdmin(ScopedAdmin):
    """The national registry: rows follow the model's visible_to where it has one."""

    # The field whose normalised copy search and duplicate detection compare; services keep it
    # in step, and so must the admin, or an edited name would no longer be found.
    name_field: str | None = None

    def scope(self, request, queryset):
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        return queryset

    def save_model(self, request, obj, form, change):
        if self.name_field is not None:
            setattr(obj, self.name_field, " ".join(getattr(obj, self.name_field).split()))
            obj.normalized_name = normalize_name(getattr(obj, self.name_field))
        if not change and hasattr(obj, "created_by_id"):
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class SponsorAdmin(RegistryAdmin):
    list_display = ["name", "kind", "identity_number", "regency", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "identity_number"]
    autocomplete_fields = ["regency"]


class PlaceForm(forms.ModelForm):
    address = free_text_field(label=_("Address"))
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=6
    )

    class Meta:
        model = Place
        fields = [
            "name",
            "kind",
            "address",
            "regency",
            "district",
            "village",
            "latitude",
            "longitude",
        ]

    def clean(self):
        cleaned = super().clean()
        regency, district, village = (cleaned.get(f) for f in ("regency", "district", "village"))
        # The same nesting rule place_create enforces.
        if district is not None and regency is not None and district.regency_id != regency.code:
            self.add_error("district", _("This district is not in the chosen regency/city."))
        if village is not None and (district is None or village.district_id != district.code):
            self.add_error("village", _("This village is not in the chosen district."))
        return cleaned


class PlaceAdmin(RegistryAdmin):
    form = PlaceForm
    name_field = "name"
    list_display = ["name", "kind", "regency", "district", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["name", "normalized_name", "address"]
    autocomplete_fields = ["regency", "district", "village"]
    # Merging goes through its service, which moves the history; the admin only shows it.
    readonly_fields = ["merged_into", "created_by", "created_at"]
    list_select_related = ["regency", "district"]


class ScopedInline(BoundedAutocompleteMixin, admin.TabularInline):
    """An inline under a ScopedAdmin: office administrators add and change, never delete."""

    extra = 0

    def _allowed(self, request) -> bool:
        return request.user.is_superuser or is_office_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class TravelDocumentForm(forms.ModelForm):
    class Meta:
        model = TravelDocument
        fields = ["kind", "number", "issuing_country", "expiry_date"]

    def clean_number(self):
        # Numbers are typed with spaces and in any case; the registry keys on the bare form.
        return "".join(self.cleaned_data["number"].split()).upper()


class TravelDocumentInline(ScopedInline):
    model = TravelDocument
    form = TravelDocumentForm


class StayPermitForm(forms.ModelForm):
    class Meta:
        model = StayPermit
        fields = ["permit_type", "visa_index", "number", "issued_on", "valid_until", "sponsor"]

    def clean(self):
        cleaned = super().clean()
        visa_index, permit_type = cleaned.get("visa_index"), cleaned.get("permit_type")
        if visa_index is not None and permit_type and visa_index.permit_type != permit_type:
            self.add_error(
                "visa_index", _("This visa index belongs to another kind of stay permit.")
            )
        return cleaned


class StayPermitInline(ScopedInline):
    model = StayPermit
    form = StayPermitForm
    autocomplete_fields = ["visa_index", "sponsor"]


class ForeignNationalAdmin(RegistryAdmin):
    name_field = "full_name"
    list_display = ["full_name", "nationality", "sex", "birth_date", "created_at"]
    list_filter = ["sex", "created_at"]
    search_fields = ["full_name", "normalized_name", "documents__number"]
    autocomplete_fields = ["regency", "sponsor"]
    # Merging goes through person_merge, which moves the history; the admin only shows it.
    readonly_fields = ["merged_into", "created_by", "created_at", "updated_at"]
    inlines = [TravelDocumentInline, StayPermitInline]

    def changelist_view(self, request, extra_context=None):
        query = request.GET.get("q", "")
        if query:
            audit.record(
                action="person.lookup",
                actor=request.user,
                summary={"query_length": len(query), "via": "admin"},
                purpose=ADMIN_PURPOSE,
            )
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            person = self.get_object(request, object_id)
            if person is not None:
                audit.record(
                    action="person.view",
                    actor=request.user,
                    target=person,
                    summary={"via": "admin"},
                    purpose=ADMIN_PURPOSE,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        """Permits edited inline move the latest permit's end, and the person's own save wrote
        the warning columns as loaded: recompute them."""
        super().save_related(request, form, formsets, change)
        warnings.refresh_warning_columns([form.instance.pk])

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        """Save documents and permits edited inline, one audit event for each row touched."""
        doomed = [
            (sub.instance._meta.label_lower, sub.instance.pk, str(sub.instance))
            for sub in formset.deleted_forms
            if sub.instance.pk is not None
        ]
        formset.save()
        person = form.instance.pk
        for instance in formset.new_objects:
            audit.record(
                action="admin.create",
                actor=request.user,
                target=instance,
                summary={"person": person},
            )
        for instance, fields in formset.changed_objects:
            audit.record(
                action="admin.change",
                actor=request.user,
                target=instance,
                summary={"person": person, "fields": sorted(fields)},
            )
        for label, pk, text in doomed:
            audit.record(
                action="admin.delete",
                actor=request.user,
                object_type=label,
                object_id=pk,
                summary={"person": person, "repr": text},
            )


admin_site.register(Province, AreaAdmin)
admin_site.register(Regency, AreaAdmin)
admin_site.register(District, AreaAdmin)
admin_site.register(Village, AreaAdmin)
admin_site.register(VisaIndex, VisaIndexAdmin)
admin_site.register(Sponsor, SponsorAdmin)
admin_site.register(Place, PlaceAdmin)
admin_site.register(ForeignNational, ForeignNationalAdmin)
