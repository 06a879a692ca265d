from silahap.admin_site import ReferenceAdmin, ScopedAdmin, admin_site
from silahap.supervision.models import Absence, Holiday


class HolidayAdmin(ReferenceAdmin):
    """Corrections to the national calendar: dates added, or listed ones made working days."""

    list_display = ["date", "name", "kind", "is_working_day"]
    list_filter = ["kind", "is_working_day"]
    search_fields = ["name"]
    date_hierarchy = "date"


class AbsenceAdmin(ScopedAdmin):
    list_display = ["user", "kind", "start_date", "end_date", "note"]
    list_filter = ["kind"]
    search_fields = ["user__full_name", "user__username"]
    autocomplete_fields = []
    raw_id_fields = ["user"]
    exclude = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


admin_site.register(Holiday, HolidayAdmin)
admin_site.register(Absence, AbsenceAdmin)
