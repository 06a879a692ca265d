from silahap.admin_site import ReferenceAdmin, admin_site
from silahap.reports.models import ViolationType


class ViolationTypeAdmin(ReferenceAdmin):
    list_display = ["code", "name", "article", "is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "article"]

    def get_readonly_fields(self, request, obj=None):
        # Services and queries find rows by code (e.g. overstay_lt_60): a code, once saved, stays.
        return ["code"] if obj is not None else []


admin_site.register(ViolationType, ViolationTypeAdmin)
