"""The login forms (the site's and the admin's) with lengths that are checked, not only shown:
Django's AuthenticationForm sets the username's max_length on the widget alone, so a username
of any length reached authenticate() and django-axes' record of the failure (a 255-character
column: a 500 on PostgreSQL)."""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from silahap import limits


class BoundedLoginMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in (
            ("username", self.fields["username"].max_length or limits.NAME),
            ("password", limits.PASSWORD),
        ):
            field = self.fields[name]
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))


class LoginForm(BoundedLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(BoundedLoginMixin, AdminAuthenticationForm):
    pass
