"""The audit trail in the Django admin: superusers read it; nobody adds, changes or deletes."""

from silahap.admin_site import ReferenceAdmin, admin_site
from silahap.audit.models import AuditEvent


class AuditEventAdmin(ReferenceAdmin):
    list_display = ["sequence", "occurred_at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_id", "action"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin_site.register(AuditEvent, AuditEventAdmin)
