"""The admin site: superusers see everything; office administrators only their own subtree."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from silahap import limits
from silahap.accounts import access, otp
from silahap.accounts.forms.login import AdminLoginForm
from silahap.audit import services as audit
from silahap.inputs import TermTooLong, bounded_term


def is_office_admin(user) -> bool:
    return bool(access.units_with_role(user, [access.Role.ADMIN]))


class SilahapAdminSite(admin.AdminSite):
    site_header = _("SiLAHAP administration")
    site_title = _("SiLAHAP")
    index_title = _("Master data")
    login_form = AdminLoginForm

    def has_permission(self, request):
        """Administrators only, and only once the session has passed its second factor.

        The second-factor rule is the site's own (otp.needs_code), not a stricter one for the
        admin: with the default roles every administrator and superuser needs a code anyway, and
        where the setting is empty (the demo, the suite) the admin stays usable like every page.
        """
        user = request.user
        return (
            user.is_active
            and (user.is_superuser or is_office_admin(user))
            and not otp.needs_code(user, getattr(request, "session", None))
        )

    def get_urls(self):
        own = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [own] + [
            url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Django's "view on site" redirect, for objects the user may see: anything else answers
        404 exactly like a missing id, so the redirect cannot tell that a record exists."""
        if not request.user.is_superuser:
            content_type = ContentType.objects.filter(pk=content_type_id).first()
            model = content_type.model_class() if content_type else None
            queryset = getattr(model._default_manager.all(), "visible_to", None) if model else None
            if queryset is None:
                raise Http404
            try:
                visible = queryset(request.user).filter(pk=object_id).exists()
            except (ValueError, TypeError, ValidationError):
                visible = False
            if not visible:
                raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)


admin_site = SilahapAdminSite(name="admin")


class RefusalStatusMixin:
    """A form the administrator must correct answers 422, like every other form of the site."""

    def render_change_form(self, request, context, *args, **kwargs):
        response = super().render_change_form(request, context, *args, **kwargs)
        form = context.get("adminform").form if context.get("adminform") else None
        if request.method == "POST" and form is not None and form.is_bound and form.errors:
            response.status_code = 422
        return response


class BoundedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete shows a refused value again by looking it up in the database: a
    value that is no key of the model (text for an id, an id past the column, a NUL) made
    that lookup fail with a 500 instead of the form's own error."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [key for key in value if self._is_key(key)], attr)

    def _is_key(self, value) -> bool:
        remote = self.field.remote_field
        field = remote.model._meta.get_field(remote.field_name)
        try:
            key = field.to_python(value)
        except ValidationError:
            return False
        if isinstance(key, int):
            return 0 < key <= limits.ID_MAX
        return "\x00" not in str(key)


class BoundedAutocompleteMixin:
    """Autocomplete fields with BoundedAutocompleteSelect (model admins and inlines)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = BoundedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdmin(BoundedAutocompleteMixin, admin.ModelAdmin):
    """A model admin whose rows are cut to the office administrator's units, every save audited."""

    office_admin_may_change = True

    def scope(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.scope(request, queryset)

    def _allowed(self, request, write: bool) -> bool:
        if request.user.is_superuser:
            return True
        if not is_office_admin(request.user):
            return False
        return self.office_admin_may_change or not write

    def has_module_permission(self, request):
        return self._allowed(request, write=False)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, write=False)

    def has_add_permission(self, request):
        return self._allowed(request, write=True)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, write=True)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            action="admin.change" if change else "admin.create",
            actor=request.user,
            target=obj,
            summary={"fields": sorted(form.changed_data)},
        )

    @transaction.atomic
    def delete_model(self, request, obj):
        audit.record(
            action="admin.delete", actor=request.user, target=obj, summary={"repr": str(obj)}
        )
        super().delete_model(request, obj)

    def get_search_results(self, request, queryset, search_term):
        """The list's search, bounded like every search (silahap/limits.py): a longer term is
        refused with a message; each word adds a condition, so only the first few are used."""
        try:
            search_term = bounded_term(search_term, limits.SEARCH_TERM)
        except TermTooLong as error:
            messages.error(request, error.message)
            return queryset.none(), False
        words = search_term.split()[: limits.SEARCH_WORDS]
        return super().get_search_results(request, queryset, " ".join(words))


class ReferenceAdmin(ScopedAdmin):
    """National reference tables: office administrators read them, only superusers change them."""

    office_admin_may_change = False

    def scope(self, request, queryset):
        return queryset
