"""The home page: it reads across layers (today's report for officers, the review queue for
leaders), so it sits above them, beside the URL configuration, not in accounts."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from silahap.accounts import access
from silahap.reports.queries import pending_reviews
from silahap.reports.views.field import today

HOME_TEMPLATES = {
    "officer": "accounts/home_officer.html",
    "leader": "accounts/home_leader.html",
    "analyst": "accounts/home_analyst.html",
    "admin": "accounts/home_admin.html",
    "partner": "accounts/home_partner.html",
}


@require_GET
def home(request):
    role = access.primary_role(request.user)
    if role == "officer":
        return today(request)
    template = HOME_TEMPLATES.get(role, "accounts/home_none.html")
    memberships = access.current_memberships(request.user)
    context = {"memberships": memberships, "role": role}
    if role == "leader":
        context["queue_count"] = pending_reviews(request.user).count()
    return render(request, template, context)
