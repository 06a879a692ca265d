from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.admin_site import ScopedAdmin, admin_site


class OrgUnitAdmin(ScopedAdmin):
    list_display = ["name", "code", "kind", "office_class", "timezone", "report_deadline"]
    list_filter = ["kind", "timezone"]
    search_fields = ["name", "code"]
    filter_horizontal = ["work_area"]
    readonly_fields = ["path", "depth", "parent", "office", "kind"]

    def scope(self, request, queryset):
        query = Q(pk__in=[])
        for unit in access.units_with_role(request.user, ["admin"]):
            query |= Q(path__startswith=unit.path)
        return queryset.filter(query)

    def has_add_permission(self, request):
        # Units are placed in the tree by orgunit_create, which keeps path and office consistent.
        return False


class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "nip", "agency", "is_active", "account_expires_on"]
    list_filter = ["agency", "is_active"]
    search_fields = ["username", "full_name", "nip"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Identity"), {"fields": ("full_name", "nip", "rank", "position", "phone", "email")}),
        (_("Agency and expiry"), {"fields": ("agency", "account_expires_on", "is_active")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "full_name", "password1", "password2")}),)


class MembershipAdmin(ScopedAdmin):
    list_display = ["user", "unit", "role", "start_date", "end_date", "is_acting"]
    list_filter = ["role", "is_acting"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]

    def scope(self, request, queryset):
        return queryset.filter(access.subtree_q(access.units_with_role(request.user, ["admin"])))


admin_site.register(OrgUnit, OrgUnitAdmin)
admin_site.register(User, UserAdmin)
admin_site.register(Membership, MembershipAdmin)
