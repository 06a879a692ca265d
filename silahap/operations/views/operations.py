"""Operations: the list, planning (teams, members, targets, agencies) and each state change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silahap.accounts import access
from silahap.accounts.models import Membership
from silahap.audit import services as audit
from silahap.operations import results as operation_results
from silahap.operations.forms import (
    AgencyAddForm,
    MemberAddForm,
    OperationForm,
    ReportForm,
    StopForm,
    TargetAddForm,
    TeamAddForm,
)
from silahap.operations.models import Operation, OperationMember, PartnerAction
from silahap.operations.services import operations as services
from silahap.operations.views.common import apply_errors, operation_or_404

PAGE_SIZE = 50


@require_GET
def operation_list(request):
    """The operations the user may see, newest first."""
    operations = (
        Operation.objects.visible_to(request.user)
        .select_related("unit", "unit__office", "parent")
        .order_by("-starts_at", "-pk")
    )
    page = Paginator(operations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "operations/operation_list.html",
        {
            "page": page,
            "may_plan": bool(access.units_with_role(request.user, [Membership.Role.LEADER])),
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
def operation_create(request):
    units = access.units_with_role(request.user, [Membership.Role.LEADER])
    if not units:
        raise PermissionDenied("leaders plan operations")
    form = OperationForm(request.POST or None, user=request.user, units=units)
    if request.method == "POST":
        if form.is_valid():
            try:
                operation = services.operation_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Operation planned: add its teams and targets."))
                return redirect(operation.get_absolute_url())
        return render(request, "operations/operation_form.html", {"form": form}, status=422)
    return render(request, "operations/operation_form.html", {"form": form})


def detail_context(request, operation: Operation) -> dict:
    user = request.user
    is_partner = access.is_partner(user)
    members = list(
        OperationMember.objects.filter(operation=operation).select_related("user", "team")
    )
    results = operation_results.operation_results(operation)
    findings = operation_results.findings_list(operation, masked=is_partner)
    if is_partner and findings:
        # A partner's view of the foreigners of an operation is an audited read (issue 16 §6).
        audit.record(
            action="operation.persons_view",
            actor=user,
            target=operation,
            purpose="joint_operation",
            summary={"persons": sorted({row.person_id for row in findings if row.person_id})},
        )
    may_plan = access.can(user, "plan", operation)
    return {
        "operation": operation,
        "state": operation.state(),
        "zone": operation.zone,
        "teams": list(operation.teams.select_related("leader")),
        "members": members,
        "agencies": list(operation.agencies.all()),
        "warrants": list(operation.warrants.all()) if not is_partner else [],
        "transitions": list(operation.transitions.select_related("by")),
        "children": list(operation.children.select_related("unit"))
        if operation.is_national_root
        else [],
        "results": results,
        "findings": findings,
        "actions": operation_results.with_agency_labels(
            list(
                PartnerAction.objects.filter(operation=operation).select_related(
                    "target__place", "recorded_by"
                )
            )
        ),
        "is_partner": is_partner,
        "may_plan": may_plan,
        "may_approve": access.can(user, "approve", operation),
        "may_finish": access.can(user, "finish", operation),
        "may_report": access.can(user, "report", operation),
        "may_stop": access.can(user, "stop", operation),
        "may_act": access.can(user, "record_partner_action", operation),
        "team_form": TeamAddForm(operation=operation) if may_plan else None,
        "member_form": MemberAddForm(operation=operation) if may_plan else None,
        "target_form": TargetAddForm(operation=operation) if may_plan else None,
        "agency_form": AgencyAddForm() if may_plan else None,
        "stop_form": StopForm(),
        "report_form": ReportForm(),
    }


@require_GET
def operation_detail(request, pk: int):
    operation = operation_or_404(request, pk)
    return render(request, "operations/operation_detail.html", detail_context(request, operation))


def _detail_with(request, operation, status=422, **forms):
    context = detail_context(request, operation)
    context.update(forms)
    return render(request, "operations/operation_detail.html", context, status=status)


PLAN_FORMS = {
    "team": (TeamAddForm, "team_form"),
    "member": (MemberAddForm, "member_form"),
    "target": (TargetAddForm, "target_form"),
    "agency": (AgencyAddForm, "agency_form"),
}


@require_POST
def operation_plan(request, pk: int, part: str):
    """Add a team, a member, a target or an agency to the plan."""
    operation = operation_or_404(request, pk)
    access.require(request.user, "plan", operation)
    if part not in PLAN_FORMS:
        raise Http404
    form_class, name = PLAN_FORMS[part]
    kwargs = {} if part == "agency" else {"operation": operation}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if part == "team":
                services.operation_team_add(by=request.user, operation=operation, **data)
            elif part == "member":
                services.operation_member_add(by=request.user, operation=operation, **data)
            elif part == "target":
                services.operation_target_add(by=request.user, operation=operation, **data)
            else:
                services.operation_agency_add(by=request.user, operation=operation, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The plan is updated."))
            return redirect(operation.get_absolute_url())
    return _detail_with(request, operation, **{name: form})


@require_POST
def operation_approve(request, pk: int):
    operation = operation_or_404(request, pk)
    try:
        services.operation_approve(by=request.user, operation=operation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The plan is approved."))
    return redirect(operation.get_absolute_url())


@require_POST
def operation_finish(request, pk: int):
    operation = operation_or_404(request, pk)
    services.operation_finish(by=request.user, operation=operation)
    messages.success(request, _("The operation is finished: write its conclusions."))
    return redirect(operation.get_absolute_url())


@require_POST
def operation_report(request, pk: int):
    operation = operation_or_404(request, pk)
    access.require(request.user, "report", operation)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.operation_report(by=request.user, operation=operation, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The operation is reported."))
            return redirect(operation.get_absolute_url())
    return _detail_with(request, operation, report_form=form)


@require_POST
def operation_stop(request, pk: int):
    operation = operation_or_404(request, pk)
    access.require(request.user, "stop", operation)
    form = StopForm(request.POST)
    if form.is_valid():
        try:
            services.operation_stop(by=request.user, operation=operation, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The operation's status is changed."))
            return redirect(operation.get_absolute_url())
    return _detail_with(request, operation, stop_form=form)
