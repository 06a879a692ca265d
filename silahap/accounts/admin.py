"""Units, accounts and memberships in the admin: every form accepts only what the acting
administrator may grant, and every save goes through the accounts services (docs/admin.md)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access, rules, services
from silahap.accounts.models import Agency, Membership, OrgUnit, User
from silahap.admin_site import (
    ReferenceAdmin,
    RefusalStatusMixin,
    ScopedAdmin,
    admin_site,
    is_office_admin,
)


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


def administered_units(user):
    """The units an administrator may grant roles in: their administered subtrees."""
    if user.is_superuser:
        return OrgUnit.objects.all()
    query = Q(pk__in=[])
    for unit in access.administered_units(user):
        query |= Q(path__startswith=unit.path)
    return OrgUnit.objects.filter(query)


def agency_choices() -> list[tuple[str, str | Promise]]:
    return [("", _("Immigration (Ditjen Imigrasi)"))] + [
        (agency.code, f"{agency.short_name} — {agency.name}") for agency in Agency.objects.all()
    ]


def is_national_admin(user) -> bool:
    """Superusers, and administrators of the Directorate General: they keep national tables."""
    return user.is_superuser or any(
        unit.kind == OrgUnit.Kind.DIRECTORATE_GENERAL
        for unit in access.units_with_role(user, [access.Role.ADMIN])
    )


class AgencyAdmin(ReferenceAdmin):
    """Partner agencies: every administrator reads them; a national administrator adds one."""

    list_display = ["short_name", "name", "code", "is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["short_name", "name", "code"]

    def _allowed(self, request, write: bool) -> bool:
        if write:
            return is_national_admin(request.user)
        return request.user.is_superuser or is_office_admin(request.user)

    def get_readonly_fields(self, request, obj=None):
        # Accounts store the code: renaming it would cut them off from their agency.
        return ("code",) if obj is not None else ()


class AgencyFilter(admin.SimpleListFilter):
    """The agency by its name: the plain field filter showed Immigration's empty code as a link
    with no text (axe's link-name)."""

    title = _("agency")
    parameter_name = "agency"

    def lookups(self, request, model_admin):
        return [(code or "-", label) for code, label in agency_choices()]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(agency="" if value == "-" else value)


class UserAdmin(RefusalStatusMixin, ScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "nip", "agency", "is_active", "account_expires_on"]
    list_filter = [AgencyFilter, "is_active"]
    search_fields = ["username", "full_name", "nip"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Identity"), {"fields": ("full_name", "nip", "rank", "position", "phone", "email")}),
        (_("Agency and expiry"), {"fields": ("agency", "account_expires_on", "is_active")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "full_name", "password1", "password2")}),)
    change_form_template = "admin/accounts/user/change_form.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            # The agency table, read when the form is built: a new agency is offered at once.
            return forms.TypedChoiceField(
                label=db_field.verbose_name,
                required=False,
                choices=agency_choices,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or access.can(request.user, "change", obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        if rules.holds_role_above_officer(obj):
            return rules.PROTECTED_FIELDS
        return ()

    def save_model(self, request, obj, form, change):
        if change:
            changes = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in services.IDENTITY_FIELDS
            }
            services.user_update(by=request.user, user=obj, **changes)
            return
        created = services.user_create(
            by=request.user,
            username=form.cleaned_data["username"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data.get("password1") or None,
        )
        obj.pk = created.pk
        obj._state.adding = False

    def get_urls(self):
        return [
            path(
                "<id>/password-reset/",
                self.admin_site.admin_view(self.user_password_reset_send),
                name="accounts_user_password_reset",
            ),
            *super().get_urls(),
        ]

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if not access.can(request.user, "set_password", user):
            return TemplateResponse(
                request,
                "admin/accounts/user/password_refused.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Password of %(user)s") % {"user": user},
                    "opts": self.opts,
                    "original": user,
                    "may_send_reset": access.can(request.user, "send_password_reset", user),
                },
                status=403,
            )
        if request.method == "POST":
            form = AdminPasswordChangeForm(user, request.POST)
            if form.is_valid() and (
                form.cleaned_data["set_usable_password"] or "unset-password" in request.POST
            ):
                password = (
                    form.cleaned_data["password1"]
                    if form.cleaned_data["set_usable_password"]
                    else None
                )
                user = services.user_password_set(by=request.user, user=user, password=password)
                self.log_change(request, user, [{"changed": {"fields": ["password"]}}])
                messages.success(request, gettext("Password changed successfully."))
                if user.pk == request.user.pk:
                    update_session_auth_hash(request, user)
                return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 200:
            response.status_code = 422
        return response

    def user_password_reset_send(self, request, id):
        """Mail the person a link to choose their own password."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if not access.can(request.user, "send_password_reset", user):
            raise PermissionDenied
        try:
            services.user_password_reset_send(by=request.user, user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                gettext("A link to choose a new password was sent to %(email)s.")
                % {"email": user.email},
            )
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))


class MembershipAdminForm(forms.ModelForm):
    """Refuses, with the reason, any grant the acting administrator may not make."""

    acting_user = None

    class Meta:
        model = Membership
        fields = ["user", "unit", "role", "start_date", "end_date", "is_acting"]

    def clean(self):
        cleaned = super().clean()
        user, unit, role = cleaned.get("user"), cleaned.get("unit"), cleaned.get("role")
        original = None
        if self.instance.pk is not None:
            original = Membership.objects.select_related("unit").get(pk=self.instance.pk)
            user = original.user
        if user is not None and unit is not None and role:
            reason = rules.grant_refusal(
                by=self.acting_user, user=user, unit=unit, role=role, membership=original
            )
            if reason:
                raise ValidationError(reason)
            services.check_role_fits(user=user, role=role)
        return cleaned


class MembershipAdmin(RefusalStatusMixin, ScopedAdmin):
    form = MembershipAdminForm
    list_display = ["user", "unit", "role", "start_date", "end_date", "is_acting"]
    list_filter = ["role", "is_acting"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]

    def scope(self, request, queryset):
        return queryset.filter(access.subtree_q(access.units_with_role(request.user, ["admin"])))

    def get_readonly_fields(self, request, obj=None):
        # A membership moves between people only by ending one and granting another.
        return ["user"] if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user  # a new class per call (modelform_factory)
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # The administrator stays in the list so a self-grant gets its reason, not "invalid".
            kwargs["queryset"] = User.objects.administered_by(request.user)
        elif db_field.name == "unit":
            kwargs["queryset"] = administered_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = services.membership_update(
                by=request.user,
                membership=obj,
                unit=data["unit"],
                role=data["role"],
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                is_acting=data.get("is_acting", False),
            )
        else:
            saved = services.membership_create(
                by=request.user,
                user=data["user"],
                unit=data["unit"],
                role=data["role"],
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                is_acting=data.get("is_acting", False),
            )
        obj.pk = saved.pk
        obj._state.adding = False


admin_site.register(OrgUnit, OrgUnitAdmin)
admin_site.register(User, UserAdmin)
admin_site.register(Agency, AgencyAdmin)
admin_site.register(Membership, MembershipAdmin)
