import uuid

from django import forms
from django.core.exceptions import PermissionDenied

from silahap.accounts import access
from silahap.accounts.models import Membership, User
from silahap.admin_site import ReferenceAdmin, RefusalStatusMixin, ScopedAdmin, admin_site
from silahap.supervision import services
from silahap.supervision.models import Absence, Holiday


class HolidayAdmin(ReferenceAdmin):
    """Corrections to the national calendar: dates added, or listed ones made working days."""

    list_display = ["date", "name", "kind", "is_working_day"]
    list_filter = ["kind", "is_working_day"]
    search_fields = ["name"]
    date_hierarchy = "date"


def people_of_office(by):
    """Whom an administrator records absences for: members of their office and of nobody else's."""
    if by.is_superuser:
        return User.objects.all()
    scopes = access.administered_units(by)
    members = Membership.objects.current().filter(access.subtree_q(scopes)).values("user_id")
    return User.objects.administered_by(by).filter(pk__in=members)


class AbsenceAdminForm(forms.ModelForm):
    """Carries the page's idempotency key, so a double tap on "Save" records one absence."""

    # Not named client_id: the admin would take it for the model's non-editable column.
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Absence
        fields = ["user", "kind", "start_date", "end_date", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())


class AbsenceAdmin(RefusalStatusMixin, ScopedAdmin):
    form = AbsenceAdminForm
    list_display = ["user", "kind", "start_date", "end_date", "note"]
    list_filter = ["kind"]
    search_fields = ["user__full_name", "user__username"]
    autocomplete_fields = []
    raw_id_fields = ["user"]
    exclude = ["recorded_by"]

    def has_change_permission(self, request, obj=None):
        # Recorded absences are corrected by a superuser: a change would move another
        # person's missing-report counts without passing absence_record's checks.
        if obj is not None and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = people_of_office(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            if not request.user.is_superuser:
                raise PermissionDenied
            obj.recorded_by = request.user
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        saved = services.absence_record(
            by=request.user,
            client_id=data.get("idempotency_key"),
            user=data["user"],
            kind=data["kind"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            note=data.get("note", ""),
        )
        obj.pk = saved.pk
        obj._state.adding = False


admin_site.register(Holiday, HolidayAdmin)
admin_site.register(Absence, AbsenceAdmin)
