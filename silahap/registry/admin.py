from silahap.admin_site import ReferenceAdmin, admin_site
from silahap.registry.models import District, Province, Regency, Village


class AreaAdmin(ReferenceAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


admin_site.register(Province, AreaAdmin)
admin_site.register(Regency, AreaAdmin)
admin_site.register(District, AreaAdmin)
admin_site.register(Village, AreaAdmin)
