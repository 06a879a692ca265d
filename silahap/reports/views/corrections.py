"""Correcting a draft or returned report: change or remove an activity, a check or a finding,
remove a photo. Only the author of an editable report may (the services check it); others
who may read the report get 403, everyone else 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from silahap.accounts import access
from silahap.reports import services
from silahap.reports.forms import (
    DATETIME_LOCAL,
    ActivityEditForm,
    CheckEditForm,
    FindingEditForm,
)
from silahap.reports.models import Activity, Check, Evidence, Finding
from silahap.reports.views.field import _apply_errors

ACTIVITY_EDIT_FIELDS = tuple(
    name for name in ActivityEditForm.base_fields if name not in ActivityEditForm.KEPT
)


def _editable_or_403(request, model, pk: int, *related: str):
    row = get_object_or_404(model.objects.visible_to(request.user).select_related(*related), pk=pk)
    report = row.report if isinstance(row, Activity) else row.activity.report
    access.require(request.user, "edit", report)
    return row


def _activity_initial(activity: Activity) -> dict:
    zone = activity.report.unit.zone
    return {
        "kind": activity.kind,
        "source": activity.source,
        "classification": activity.classification,
        "warrant_number": activity.warrant_number,
        "warrant_date": activity.warrant_date,
        "warrant_to_follow": activity.warrant_to_follow,
        "started_at": timezone.localtime(activity.started_at, zone).strftime(DATETIME_LOCAL),
        "ended_at": (
            timezone.localtime(activity.ended_at, zone).strftime(DATETIME_LOCAL)
            if activity.ended_at
            else None
        ),
        "description": activity.description,
        "conclusion": activity.conclusion,
        "recommendation": activity.recommendation,
    }


@require_http_methods(["GET", "POST"])
def activity_update(request, pk: int):
    """Correct what, when, the warrant and what was seen of a saved activity."""
    activity = _editable_or_403(request, Activity, pk, "report__unit", "place")
    if request.method == "POST":
        form = ActivityEditForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            changes = {name: data.get(name) for name in ACTIVITY_EDIT_FIELDS}
            for text in ("warrant_number", "description", "conclusion", "recommendation"):
                changes[text] = (changes[text] or "").strip()
            changes["warrant_to_follow"] = bool(changes["warrant_to_follow"])
            changed = {
                name: value for name, value in changes.items() if value != getattr(activity, name)
            }
            try:
                if changed:
                    services.activity_update(by=request.user, activity=activity, **changed)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Activity corrected."))
                return redirect(activity.get_absolute_url())
    else:
        form = ActivityEditForm(user=request.user, initial=_activity_initial(activity))
    return render(
        request,
        "reports/activity_edit.html",
        {"form": form, "activity": activity, "report": activity.report},
        status=422 if form.is_bound else 200,
    )


@require_POST
def activity_delete(request, pk: int):
    activity = _editable_or_403(request, Activity, pk, "report__unit")
    try:
        report = services.activity_delete(by=request.user, activity=activity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(activity.get_absolute_url())
    messages.success(request, _("Activity removed."))
    return redirect(report.get_absolute_url())


@require_http_methods(["GET", "POST"])
def check_update(request, pk: int):
    """Correct how a foreigner's check went."""
    check = _editable_or_403(request, Check, pk, "activity__report__unit", "person")
    if request.method == "POST":
        form = CheckEditForm(request.POST, user=request.user)
        if form.is_valid():
            changed = {
                name: value
                for name, value in form.cleaned_data.items()
                if value != getattr(check, name)
            }
            try:
                if changed:
                    services.check_update(by=request.user, check=check, **changed)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Check corrected."))
                return redirect(check.activity.get_absolute_url() + "#checks")
    else:
        form = CheckEditForm(
            user=request.user,
            initial={
                "verification_method": check.verification_method,
                "activity_observed": check.activity_observed,
                "matches_permit": {True: "yes", False: "no"}.get(check.matches_permit, "unknown"),
                "result": check.result,
                "notes": check.notes,
            },
        )
    return render(
        request,
        "reports/check_edit.html",
        {"form": form, "check": check, "activity": check.activity},
        status=422 if form.is_bound else 200,
    )


@require_POST
def check_identity_confirm(request, pk: int):
    """The officer confirms the identity a document photo filled in offline: only the author's
    own checks exist here."""
    check = get_object_or_404(
        Check.objects.filter(activity__report__officer=request.user).select_related(
            "activity__report", "person"
        ),
        pk=pk,
    )
    try:
        services.check_identity_confirm(by=request.user, check=check)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Identity of %(name)s confirmed.") % {"name": check.person.full_name}
        )
    return redirect(check.activity.get_absolute_url() + "#checks")


@require_http_methods(["GET", "POST"])
def finding_update(request, pk: int):
    """Correct what a finding says: the violation, its description, the days of overstay."""
    finding = _editable_or_403(
        request, Finding, pk, "activity__report__unit", "violation_type", "person"
    )
    if request.method == "POST":
        form = FindingEditForm(request.POST, finding=finding)
        if form.is_valid():
            changed = {
                name: value
                for name, value in form.cleaned_data.items()
                if value != getattr(finding, name)
            }
            try:
                if changed:
                    services.finding_update(by=request.user, finding=finding, **changed)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Finding corrected."))
                return redirect(finding.activity.get_absolute_url() + "#findings")
    else:
        form = FindingEditForm(
            finding=finding,
            initial={
                "violation_type": finding.violation_type_id,
                "description": finding.description,
                "overstay_days": finding.overstay_days,
            },
        )
    return render(
        request,
        "reports/finding_edit.html",
        {"form": form, "finding": finding, "activity": finding.activity},
        status=422 if form.is_bound else 200,
    )


def _remove(request, model, pk: int, remove, done: str):
    row = _editable_or_403(request, model, pk, "activity__report__unit")
    try:
        remove(row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(row.activity.get_absolute_url())


@require_POST
def check_delete(request, pk: int):
    def remove(check):
        services.check_delete(by=request.user, check=check)

    return _remove(request, Check, pk, remove, _("Check removed."))


@require_POST
def finding_delete(request, pk: int):
    def remove(finding):
        services.finding_delete(by=request.user, finding=finding)

    return _remove(request, Finding, pk, remove, _("Finding withdrawn."))


@require_POST
def evidence_delete(request, pk: int):
    def remove(evidence):
        services.evidence_delete(by=request.user, evidence=evidence)

    return _remove(request, Evidence, pk, remove, _("Photo removed."))
