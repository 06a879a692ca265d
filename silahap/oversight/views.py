"""Audit search, the data subject's export, and the incident register."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from silahap.accounts import access
from silahap.accounts.models import User
from silahap.audit import services as audit
from silahap.audit.models import AuditEvent
from silahap.inputs import TermTooLong
from silahap.oversight import queries
from silahap.oversight.forms import AuditSearchForm, IncidentForm, PersonDataExportForm
from silahap.oversight.models import Incident
from silahap.oversight.services import incidents as services_incidents
from silahap.oversight.services import pdp as services_pdp
from silahap.registry.models import ForeignNational

PAGE_SIZE = 50


def _signed_in(request: HttpRequest) -> User:
    """The person signed in: LoginRequiredMiddleware lets nobody else reach these pages."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The trail of the people in the viewer's scope, newest first, a page at a time; each
    search is itself recorded with its filters."""
    if not queries.may_search_audit(request.user):
        raise PermissionDenied("leaders, analysts and administrators only")
    form = AuditSearchForm(request.GET or None)
    events: list[AuditEvent] = []
    older = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 422
    else:
        filters = dict(form.cleaned_data) if form.is_bound else {}
        filters["zone"] = timezone.get_current_timezone()
        try:
            searched = AuditEvent.objects.visible_to(request.user).searched(filters)
        except TermTooLong as error:
            form.add_error(None, error.message)
            return render(request, "audit/search.html", {"form": form}, status=422)
        rows = list(searched.for_search_page()[: PAGE_SIZE + 1])
        events = rows[:PAGE_SIZE]
        if len(rows) > PAGE_SIZE:
            older = events[-1].sequence
        audit.record(
            action="audit.search",
            actor=request.user,
            summary={
                "filters": form.filters_used() if form.is_bound else {},
                "before": filters.get("before"),
                "results": len(events),
            },
        )
    return render(
        request,
        "audit/search.html",
        {"form": form, "events": events, "older": older},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def person_data_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Download what is held and was done about one person, for their request (UU 27/2022)."""
    person = get_object_or_404(ForeignNational.objects.visible_to(request.user), pk=pk)
    access.require(request.user, "export_personal_data", person)
    form = PersonDataExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        file_format = form.cleaned_data["file_format"]
        export = services_pdp.person_data_export(
            by=_signed_in(request),
            person=person,
            reference=form.cleaned_data["reference"],
            reason=form.cleaned_data["reason"],
            file_format=file_format,
        )
        if file_format == "json":
            response = HttpResponse(export.as_json(), content_type="application/json")
        else:
            # The byte-order mark lets a spreadsheet read the names' accents as UTF-8.
            response = HttpResponse("\ufeff" + export.as_csv(), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{export.filename(file_format)}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "audit/person_data_export.html",
        {"person": person, "form": form},
        status=422 if request.method == "POST" else 200,
    )


def _incidents_allowed(user: Any) -> None:
    if not queries.may_search_audit(user):
        raise PermissionDenied("leaders, analysts and administrators only")


@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    """The breaches of the viewer's offices, those past the 3×24-hour notice deadline first."""
    _incidents_allowed(request.user)
    now = timezone.now()
    incidents = list(Incident.objects.visible_to(request.user).select_related("office")[:200])
    for incident in incidents:
        incident.overdue = incident.is_overdue(now)
        incident.left = incident.hours_left(now)
        incident.overdue_by = -incident.left
    incidents.sort(key=lambda incident: not incident.overdue)
    return render(
        request,
        "audit/incident_list.html",
        {
            "incidents": incidents,
            "may_register": bool(access.administered_units(request.user))
            or request.user.is_superuser,
        },
    )


def _apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    offices = access.administered_units(request.user)
    if not offices:
        raise PermissionDenied("office administrators only")
    form = IncidentForm(request.POST or None, offices=offices)
    if request.method == "POST":
        repeated = form.repeated(request.user)
        if repeated is not None:
            return redirect("audit:incident_update", pk=repeated.pk)
        if form.is_valid():
            try:
                incident = services_incidents.incident_create(
                    by=request.user,
                    client_id=form.cleaned_data["client_id"],
                    office=form.cleaned_data["office"],
                    **form.service_data(),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The incident was registered."))
                return redirect("audit:incident_update", pk=incident.pk)
        return render(request, "audit/incident_form.html", {"form": form}, status=422)
    return render(request, "audit/incident_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def incident_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators record what was done; leaders and analysts above read the same page."""
    incident = get_object_or_404(
        Incident.objects.visible_to(request.user).select_related("office", "reported_by"), pk=pk
    )
    may_edit = access.can(request.user, "update", incident)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied("office administrators only")
    form = IncidentForm(request.POST or None, instance=incident)
    now = timezone.now()
    context = {
        "form": form,
        "incident": incident,
        "may_edit": may_edit,
        "overdue": incident.is_overdue(now),
        "left": incident.hours_left(now),
    }
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST":
        if form.is_valid():
            try:
                services_incidents.incident_update(
                    by=_signed_in(request), incident=incident, **form.service_data()
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The incident was updated."))
                return redirect("audit:incident_update", pk=incident.pk)
        return render(request, "audit/incident_form.html", context, status=422)
    return render(request, "audit/incident_form.html", context)
