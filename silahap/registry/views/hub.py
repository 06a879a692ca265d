"""The registry's front page: one place to reach its parts from the menu."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from silahap.accounts import access
from silahap.accounts.models import Membership


@require_GET
def registry_index(request):
    access.require_staff(request.user)
    roles = access.roles_of(request.user)
    context = {
        "sees_warnings": request.user.is_superuser
        or bool(roles & {Membership.Role.LEADER, Membership.Role.ANALYST}),
        "manages": request.user.is_superuser
        or bool(roles & {Membership.Role.LEADER, Membership.Role.ADMIN}),
    }
    return render(request, "registry/index.html", context)
