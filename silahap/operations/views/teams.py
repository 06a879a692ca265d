"""Standing teams (Timpora, task forces), their members and coordination meetings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silahap.accounts import access
from silahap.accounts.models import Agency, Membership
from silahap.operations.forms import MeetingForm, TeamForm, TeamMemberForm
from silahap.operations.models import Decision, Team
from silahap.operations.services import teams as services
from silahap.operations.views.common import apply_errors


def _team_or_404(request, pk: int) -> Team:
    return get_object_or_404(
        Team.objects.visible_to(request.user).select_related(
            "unit", "province", "regency", "district", "chair"
        ),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def team_list(request):
    """The standing teams the user may see; a leader forms a new one here."""
    teams = list(
        Team.objects.visible_to(request.user)
        .select_related("unit", "province", "regency", "district", "chair")
        .order_by("name")[:200]
    )
    units = access.units_with_role(request.user, [Membership.Role.LEADER])
    form = TeamForm(request.POST or None, units=units) if units else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("leaders form teams")
        if form.is_valid():
            try:
                team = services.team_create(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Team formed."))
                return redirect(team.get_absolute_url())
        status = 422
    return render(
        request, "operations/team_list.html", {"teams": teams, "form": form}, status=status
    )


def _team_page(request, team: Team, *, member_form=None, meeting_form=None, status=200):
    may_manage = access.can(request.user, "manage", team)
    meetings = list(
        team.meetings.prefetch_related("attendance", "decisions__owner").order_by("-held_at")[:20]
    )
    return render(
        request,
        "operations/team_detail.html",
        {
            "team": team,
            "zone": (team.unit.office or team.unit).zone,
            "members": list(team.members.select_related("user")),
            "agencies": list(team.agencies.all()),
            "agency_names": dict(Agency.objects.values_list("code", "short_name")),
            "meetings": meetings,
            "operations": list(team.operations.order_by("-starts_at")[:20]),
            "may_manage": may_manage,
            "member_form": member_form or (TeamMemberForm(unit=team.unit) if may_manage else None),
            "meeting_form": meeting_form or (MeetingForm(team=team) if may_manage else None),
        },
        status=status,
    )


@require_GET
def team_detail(request, pk: int):
    return _team_page(request, _team_or_404(request, pk))


@require_POST
def team_member_add(request, pk: int):
    team = _team_or_404(request, pk)
    access.require(request.user, "manage", team)
    form = TeamMemberForm(request.POST, unit=team.unit)
    if form.is_valid():
        try:
            services.team_member_add(by=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Member added."))
            return redirect(team.get_absolute_url())
    return _team_page(request, team, member_form=form, status=422)


@require_POST
def meeting_record(request, pk: int):
    team = _team_or_404(request, pk)
    access.require(request.user, "manage", team)
    form = MeetingForm(request.POST, team=team)
    if form.is_valid():
        data = form.cleaned_data
        attendance = [
            services.Attendance(code, present)
            for code, _label in form.agency_rows
            if (present := data.get(f"present_{code or 'immigration'}"))
        ]
        decisions = [
            services.DecisionInput(
                data[f"decision_{index}"], data.get(f"owner_{index}"), data.get(f"due_{index}")
            )
            for index in range(3)
            if data.get(f"decision_{index}")
        ]
        try:
            services.meeting_record(
                by=request.user,
                client_id=data["client_id"],
                team=team,
                held_at=data["held_at"],
                place=data["place"],
                agenda=data["agenda"],
                minutes=data["minutes"],
                attendance=attendance,
                decisions=decisions,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect(team.get_absolute_url())
    return _team_page(request, team, meeting_form=form, status=422)


@require_POST
def decision_complete(request, pk: int):
    decision = get_object_or_404(
        Decision.objects.filter(meeting__team__in=Team.objects.visible_to(request.user)),
        pk=pk,
    )
    services.decision_complete(by=request.user, decision=decision)
    messages.success(request, _("Item marked done."))
    return redirect(decision.meeting.team.get_absolute_url())
