from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silahap import inputs
from silahap.accounts import access
from silahap.registry.document_reading import FORM_FIELDS as DOCUMENT_FORM_FIELDS
from silahap.registry.document_reading import fill_only_empty, read_for_form
from silahap.registry.models import Place, Province
from silahap.registry.mrz import MRZError
from silahap.registry.mrz_photo import MAX_BYTES as MRZ_PHOTO_MAX_BYTES
from silahap.reports import queries, services
from silahap.reports.area import propose_area
from silahap.reports.evidence import (
    DeclaredOriginal,
    EvidenceRejected,
    declared_original,
    photo_limit_message,
)
from silahap.reports.forms import (
    DATETIME_LOCAL,
    ActivityForm,
    CheckForm,
    CommentForm,
    EvidenceForm,
    FindingForm,
    NewPlaceForm,
    PersonForm,
    ReturnForm,
    ReviseForm,
    SubmitForm,
    new_client_id,
)
from silahap.reports.models import Activity, Check, DailyReport, Evidence, ReportStatus
from silahap.reports.snapshot import snapshot_changes
from silahap.sections import forms as form_extensions
from silahap.storage import file_response

# The activity form's extension point: operations add their picker here (silahap/sections/forms).
ACTIVITY_FORM = "reports.activity_form"


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError beside the form's fields (or above them)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _officer_report_or_404(request, pk: int) -> DailyReport:
    return get_object_or_404(
        DailyReport.objects.visible_to(request.user)
        .select_related("unit__office", "officer", "decided_by")
        .prefetch_related("comments__author"),
        pk=pk,
    )


@require_GET
def today(request):
    """The officer's home: today's report, its activities, one big action.

    A GET writes nothing (#14 item 4): before the day's first activity there is no report, and
    the page shows an empty day; the first activity's save makes the report (idempotently)."""
    try:
        unit = services.reporting_unit(request.user)
    except PermissionDenied:
        return render(request, "accounts/home_none.html", status=200)
    day = unit.local_today()
    report = (
        DailyReport.objects.select_related("unit__office", "officer", "decided_by")
        .prefetch_related("comments__author")
        .filter(officer=request.user, report_date=day)
        .first()
    )
    if report is None:
        report = DailyReport(officer=request.user, unit=unit, report_date=day)  # not saved
    return _render_report_page(request, report, template="reports/today.html")


def _render_report_page(
    request,
    report: DailyReport,
    *,
    template: str,
    problems=None,
    status=200,
    return_form=None,
    revise_form=None,
):
    saved = report.pk is not None  # today's empty day is not saved until its first activity
    activities = (
        list(
            queries.activity_with_details(queries.activities_for_report(report)).prefetch_related(
                "comments__author"
            )
        )
        if saved
        else []
    )
    may_edit = access.can(request.user, "edit", report)
    if problems is None and may_edit:
        # What would stop a submit, told before the officer tries (from the activities above).
        problems = {
            key: messages
            for key, messages in services.submit_problems(report, activities).items()
            if key.startswith("activity-")
        }
    for activity in activities:
        activity.problems = (problems or {}).get(f"activity-{activity.pk}", [])
        activity.show_details = access.can(request.user, "read_details", activity)
    revisions = (
        list(report.revisions.order_by("number").select_related("submitted_by")) if saved else []
    )
    for older, newer in zip(revisions, revisions[1:], strict=False):
        newer.changes = snapshot_changes(older.snapshot, newer.snapshot)
    may_decide = report.status == ReportStatus.SUBMITTED and access.can(
        request.user, "decide", report
    )
    points = [
        {
            "lat": float(a.latitude),
            "lng": float(a.longitude),
            # The office's wall clock, like every other time on the page (not UTC).
            "label": timezone.localtime(a.started_at, report.unit.zone).strftime("%H:%M"),
        }
        for a in activities
        if a.latitude is not None and a.show_details
    ]
    return render(
        request,
        template,
        {
            "report": report,
            "activities": activities,
            "may_edit": may_edit,
            "may_revise": access.can(request.user, "revise", report),
            "may_decide": may_decide,
            "may_comment": access.can(request.user, "comment", report),
            "submit_form": SubmitForm(initial={"client_id": new_client_id()}),
            "return_form": return_form or ReturnForm(),
            "revise_form": revise_form or ReviseForm(),
            "comment_form": CommentForm(initial={"client_id": new_client_id()}),
            "comments": (
                [c for c in report.comments.all() if c.activity_id is None] if saved else []
            ),
            "decisions": list(report.decisions.select_related("decided_by")) if saved else [],
            "problems": problems or {},
            "deadline": services.submit_deadline(report),
            "revisions": list(reversed(revisions)),
            "points": points,
        },
        status=status,
    )


@require_POST
def report_submit(request, pk: int):
    report = _officer_report_or_404(request, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date; try submitting again."))
        return redirect(report.get_absolute_url())
    try:
        services.report_submit(
            report=report, by=request.user, client_id=form.cleaned_data["client_id"]
        )
    except PermissionDenied:
        raise
    except ValidationError as error:
        problems = dict(error.message_dict) if hasattr(error, "error_dict") else {}
        problems["general"] = problems.pop("__all__", []) + (
            [] if hasattr(error, "error_dict") else error.messages
        )
        report.refresh_from_db()
        template = (
            "reports/today.html"
            if report.report_date == report.unit.local_today()
            else "reports/report_detail.html"
        )
        return _render_report_page(
            request, report, template=template, problems=problems, status=422
        )
    messages.success(request, _("Report submitted. Your leader will review it."))
    return redirect(report.get_absolute_url())


@require_GET
def report_detail(request, pk: int):
    report = _officer_report_or_404(request, pk)
    return _render_report_page(request, report, template="reports/report_detail.html")


def _office_area(user) -> dict[str, str]:
    """Start a new place in the officer's own work area: its province, and its regency if one."""
    unit = services.reporting_unit(user)
    office = unit.office or unit
    regencies = list(office.work_area.all())
    if not regencies:
        return {}
    provinces = {regency.province_id for regency in regencies}
    initial = {"province": provinces.pop()} if len(provinces) == 1 else {}
    if len(regencies) == 1:
        initial["regency"] = regencies[0].code
    return initial


@require_GET
def area_proposal(request):
    """The official area proposed for a new place at a GPS point, and how it was found (JSON)."""
    unit = services.reporting_unit(request.user)  # 403 for those who do not report
    latitude = inputs.read_coordinate(request.GET.get("lat"), (-90, 90), name="lat")
    longitude = inputs.read_coordinate(request.GET.get("lng"), (-180, 180), name="lng")
    if latitude is None or longitude is None:
        return JsonResponse({"method": "none", "note": _("Choose the area below.")})
    proposal = propose_area(
        places=Place.objects.visible_to(request.user),
        latitude=latitude,
        longitude=longitude,
        unit=unit,
    )
    if proposal is None:
        return JsonResponse({"method": "none", "note": _("Choose the area below.")})
    if proposal.method == "nearest_place":
        note = _(
            "Area proposed from the nearest registered place, %(name)s, %(meters)d m away. "
            "Check it."
        ) % {"name": proposal.place_name, "meters": proposal.distance_m}
    else:
        note = _("No registered place nearby: area proposed from your office's work area.")
    return JsonResponse(
        {
            "method": proposal.method,
            "province": proposal.province,
            "regency": proposal.regency,
            "district": proposal.district,
            "village": proposal.village,
            "note": note,
        }
    )


def _provinces():
    return Province.objects.order_by("name")


@require_http_methods(["GET", "POST"])
def activity_create(request):
    """One screen: what, when, where (GPS, map, nearby place or a new one), and what was seen."""
    services.reporting_unit(request.user)  # PermissionDenied (403) for those who do not report
    now_local = timezone.localtime()
    if request.method == "POST":
        form = ActivityForm(request.POST, user=request.user)
        form_extensions.extend(form, ACTIVITY_FORM, request)
        place_mode = request.POST.get("place_mode", "existing")
        if (
            place_mode != "new"
            and not request.POST.get("place")
            and request.POST.get("new_place-name", "").strip()
        ):
            place_mode = "new"  # a new place's name and no listed place: without the script too
        place_form = NewPlaceForm(request.POST, prefix="new_place") if place_mode == "new" else None
        forms_valid = form.is_valid() & (place_form is None or place_form.is_valid())
        if forms_valid:
            data = dict(form.cleaned_data)
            client_id = data.pop("client_id")
            data["location_source"] = data.get("location_source") or "none"
            data["warrant_to_follow"] = bool(data.get("warrant_to_follow"))
            for text in ("warrant_number", "description", "conclusion", "recommendation"):
                data[text] = data.get(text) or ""
            # The warrant picked among those covering today (supervision's extension) fills
            # the warrant fields the officer left empty.
            for name, value in form_extensions.provided(form, request).items():
                if name in data and not data[name] and not data["warrant_to_follow"]:
                    data[name] = value
            for name in list(data):
                if name not in ActivityForm.base_fields:
                    data.pop(name)  # an extension's field: its own `saved` reads it
            # In the service's one transaction: a refusal by a form extension (e.g. an
            # operation the activity is outside of, a task not given to this officer) leaves
            # nothing half-saved.
            data["then"] = lambda activity: form_extensions.saved(form, request, activity)
            try:
                if place_form is not None:
                    place = dict(place_form.cleaned_data)
                    place.pop("province")
                    data.pop("place")
                    activity = services.activity_create_at_new_place(
                        by=request.user,
                        client_id=client_id,
                        place={
                            **place,
                            "latitude": data.get("latitude"),
                            "longitude": data.get("longitude"),
                        },
                        **data,
                    )
                else:
                    activity = services.activity_create(
                        by=request.user, client_id=client_id, **data
                    )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Activity saved. Add the foreigners you checked."))
                return redirect(activity.get_absolute_url() + "#check-section")
    else:
        form = ActivityForm(
            user=request.user,
            initial={
                "client_id": new_client_id(),
                "started_at": now_local.strftime(DATETIME_LOCAL),
            },
        )
        form_extensions.extend(form, ACTIVITY_FORM, request)
        place_mode = "existing"
        place_form = None
    return render(
        request,
        "reports/activity_form.html",
        {
            "form": form,
            "place_form": place_form
            or NewPlaceForm(prefix="new_place", initial=_office_area(request.user)),
            "place_mode": place_mode,
            "provinces": _provinces(),
        },
        status=200 if request.method == "GET" or form.is_bound and not form.errors else 422,
    )


def _activity_or_404(request, pk: int, *, details: bool = True) -> Activity:
    """The activity, if the user may see it; with `details` its checks, findings and photos
    too (what its page shows), else only its report and unit (what a write needs)."""
    visible = Activity.objects.visible_to(request.user)
    if details:
        queryset = queries.activity_with_details(visible)
    else:
        queryset = visible.select_related("report__unit")
    return get_object_or_404(queryset, pk=pk)


def _activity_page(
    request,
    activity: Activity,
    *,
    evidence_errors=None,
    check_form=None,
    person_form=None,
    finding_form=None,
    proposal=None,
    status=200,
):
    report = activity.report
    may_edit = access.can(request.user, "edit", report)
    show_details = access.can(request.user, "read_details", activity)
    # Submit from where the officer is, told first what would stop it (#15 item 4).
    report_problems = services.submit_problems(report) if may_edit else {}
    return render(
        request,
        "reports/activity_detail.html",
        {
            "activity": activity,
            "report": report,
            "show_details": show_details,
            "may_edit": may_edit,
            "check_form": check_form
            or CheckForm(user=request.user, initial={"client_id": new_client_id()}),
            "person_form": person_form or PersonForm(prefix="person"),
            "finding_form": finding_form
            or FindingForm(activity=activity, initial={"client_id": new_client_id()}),
            "proposal": proposal,
            "today": report.unit.local_today(),
            "evidence_form": EvidenceForm(initial={"client_id": new_client_id()}),
            "comment_form": CommentForm(initial={"client_id": new_client_id()}),
            "may_comment": show_details and access.can(request.user, "comment", report),
            "evidence_errors": evidence_errors or [],
            "report_problems": [m for messages in report_problems.values() for m in messages],
            "submit_form": SubmitForm(initial={"client_id": new_client_id()}),
        },
        status=status,
    )


@require_GET
def activity_detail(request, pk: int):
    activity = _activity_or_404(request, pk)
    proposal = None
    finding_form = None
    propose_for = inputs.read_id(request.GET.get("propose"), name="propose")
    if propose_for and access.can(request.user, "edit", activity.report):
        check = next((c for c in activity.checks.all() if c.pk == propose_for), None)
        if check is not None:
            proposal = queries.overstay_proposal(check.person, activity.report.report_date)
            if proposal is not None:
                finding_form = FindingForm(
                    activity=activity,
                    initial={
                        "client_id": new_client_id(),
                        "violation_type": proposal.violation_type.pk,
                        "person": check.person.pk,
                        "overstay_days": proposal.days,
                        "description": _proposal_description(proposal),
                    },
                )
    return _activity_page(request, activity, finding_form=finding_form, proposal=proposal)


def _proposal_description(proposal: queries.OverstayProposal) -> str:
    return _("Stay permit expired on %(date)s: %(days)d days of overstay.") % {
        "date": proposal.valid_until.strftime("%d-%m-%Y"),
        "days": proposal.days,
    }


def _record_proposed_finding(request, activity: Activity, check: Check, client_id: uuid.UUID):
    """The overstay finding proposed from the person's expired permit, recorded with the check
    (its key derived from the check's, so a second tap records it once); None when the permit
    has not expired."""
    proposal = queries.overstay_proposal(check.person, activity.report.report_date)
    if proposal is None:
        return None
    return services.finding_create(
        by=request.user,
        client_id=uuid.uuid5(client_id, "proposed-finding"),
        activity=activity,
        check=check,
        violation_type=proposal.violation_type,
        overstay_days=proposal.days,
        description=_proposal_description(proposal),
    )


@require_POST
def check_create(request, pk: int):
    activity = _activity_or_404(request, pk)
    access.require(request.user, "edit", activity.report)
    new_person = request.POST.get("person_mode") == "new"
    post, identity = request.POST, None
    if "document_photo" in request.FILES:
        resent = _resent_check(request)
        if resent is not None:
            # The outbox sent it again (the answer was lost): the check is there and its photo
            # was read the first time; the form as typed may not even be valid without it.
            return redirect(activity.get_absolute_url() + "#checks")
        post, identity = _read_waiting_photo(request, new_person=new_person)
    check_form = CheckForm(post, user=request.user)
    person_form = PersonForm(post, prefix="person") if new_person else None
    valid = check_form.is_valid() & (person_form is None or person_form.is_valid())
    if valid and not new_person and check_form.cleaned_data.get("person") is None:
        check_form.add_error("person", _("Choose a person from the search, or add a new one."))
        valid = False
    if valid:
        data = dict(check_form.cleaned_data)
        client_id = data.pop("client_id")
        person = data.pop("person")
        record_proposal = data.pop("record_proposed_finding")
        if identity is not None:
            data.update(identity_pending=True, identity_reading=identity)
        finding = None
        try:
            # One transaction: the check and the finding proposed with it are saved together.
            with transaction.atomic():
                if person_form is not None:  # a new person (person_mode=new)
                    check = services.check_create_for_new_person(
                        by=request.user,
                        client_id=client_id,
                        activity=activity,
                        person=dict(person_form.cleaned_data),
                        **data,
                    )
                else:
                    permit = person.permits.order_by("-valid_until").first()
                    check = services.check_create(
                        by=request.user,
                        client_id=client_id,
                        activity=activity,
                        person=person,
                        permit=permit,
                        **data,
                    )
                if record_proposal:
                    finding = _record_proposed_finding(request, activity, check, client_id)
        except ValidationError as error:
            _apply_errors(
                person_form if new_person and not hasattr(error, "error_dict") else check_form,
                error,
            )
        else:
            if finding is not None:
                messages.success(
                    request,
                    _("%(name)s recorded, with the finding: %(violation)s.")
                    % {"name": check.person.full_name, "violation": finding.violation_type.name},
                )
                # The next step of the usual flow is a photo, then the submit just below it.
                return redirect(activity.get_absolute_url() + "#photos")
            if check.identity_pending:
                messages.warning(
                    request,
                    _(
                        "%(name)s recorded, identity pending: check the fields read from the "
                        "document photo, then confirm them."
                    )
                    % {"name": check.person.full_name},
                )
            else:
                messages.success(
                    request, _("%(name)s recorded.") % {"name": check.person.full_name}
                )
            proposal = queries.overstay_proposal(check.person, activity.report.report_date)
            suffix = f"?propose={check.pk}#finding" if proposal else "#checks"
            return redirect(activity.get_absolute_url() + suffix)
    return _activity_page(
        request, activity, check_form=check_form, person_form=person_form, status=422
    )


def _resent_check(request) -> Check | None:
    """This officer's check already saved under the posted client id, if any."""
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return None
    return Check.objects.filter(client_id=client_id, activity__report__officer=request.user).first()


def _read_waiting_photo(request, *, new_person: bool):
    """A check saved offline comes with the document photo that waited beside it in the outbox:
    read it now and fill only the new person's fields the officer left empty. The photo is read
    from memory and not kept. Returns the form data to use and what the reading did."""
    upload = request.FILES["document_photo"]
    data = upload.read() if upload.size is not None and upload.size <= MRZ_PHOTO_MAX_BYTES else b""
    try:
        reading = read_for_form(by=request.user, data=data)
    except MRZError:
        return request.POST, {"read": False, "filled": [], "unsure": []}
    if not new_person:  # a registry person was chosen: their record is not written from here
        return request.POST, {"read": True, "filled": [], "unsure": reading.unsure}
    typed = {name: request.POST.get(f"person-{name}", "") for name in DOCUMENT_FORM_FIELDS}
    merged, filled = fill_only_empty(typed, reading.values)
    post = request.POST.copy()
    for name in DOCUMENT_FORM_FIELDS:
        if merged.get(name) != typed.get(name):
            post[f"person-{name}"] = merged[name]
    return post, {"read": True, "filled": filled, "unsure": reading.unsure}


@require_POST
def finding_create(request, pk: int):
    activity = _activity_or_404(request, pk)
    access.require(request.user, "edit", activity.report)
    form = FindingForm(request.POST, activity=activity)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.finding_create(by=request.user, activity=activity, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Finding recorded."))
            # The next step of the usual flow is a photo, then the submit just below it.
            return redirect(activity.get_absolute_url() + "#photos")
    return _activity_page(request, activity, finding_form=form, status=422)


@require_GET
def my_reports(request):
    """The officer's reports by month, with status, lateness and the leader's reason."""
    today_local = timezone.localdate()
    try:
        # Only the calendar month is read: a date, no time, so no zone.
        month = datetime.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()  # noqa: DTZ007
    except ValueError:
        month = today_local.replace(day=1)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    previous_month = (month - datetime.timedelta(days=1)).replace(day=1)
    reports = list(
        DailyReport.objects.filter(officer=request.user)
        .filter(report_date__gte=month, report_date__lt=next_month)
        .select_related("decided_by")
        .order_by("-report_date")
    )
    return render(
        request,
        "reports/my_reports.html",
        {
            "reports": reports,
            "month": month,
            "previous_month": previous_month,
            "next_month": next_month if next_month <= today_local else None,
            "counts": {
                status: sum(r.status == status for r in reports) for status in ReportStatus.values
            },
        },
    )


def _over_photo_limit(request, activity: Activity, uploads, keys) -> str:
    """Why this upload does not fit in the activity's photos, or "" when it does. All or none:
    the officer learns how many to leave out, and nothing already saved is touched."""
    if len(uploads) == 1:
        # One photo: the service counts under the report's lock and refuses it with the same
        # message (a resend of a photo already saved is found there before counting).
        return ""
    limit = settings.SILAHAP_EVIDENCE_MAX_PER_ACTIVITY
    # A resend of photos already saved adds nothing: it lands as the first send did.
    resent = Evidence.objects.filter(client_id__in=keys, uploaded_by=request.user).count()
    room = max(limit - Evidence.objects.filter(activity=activity).count(), 0)
    if len(uploads) - resent <= room:
        return ""
    if room == 0:
        return photo_limit_message(limit)
    return ngettext(
        "Only %(room)d more photo fits in this activity; choose fewer and upload again.",
        "Only %(room)d more photos fit in this activity; choose fewer and upload again.",
        room,
    ) % {"room": room}


def _declared_originals(
    upload_names: list[str], entries: list
) -> tuple[list[DeclaredOriginal | None], list[str]]:
    """Each file's declared original (None: sent as taken), and why any entry is refused."""
    if not entries:
        return [None] * len(upload_names), []
    if len(entries) != len(upload_names):
        return [], [_("The page was out of date; try again.")]
    declared: list[DeclaredOriginal | None] = []
    errors: list[str] = []
    now = timezone.now()
    for name, entry in zip(upload_names, entries, strict=True):
        if entry is None:
            declared.append(None)
            continue
        try:
            declared.append(declared_original(entry, now=now))
        except EvidenceRejected as rejected:
            errors.append(f"{name[:80]}: {rejected.message}")
    return declared, errors


@require_POST
def evidence_add(request, pk: int):
    """Attach photos; each gets an id derived from the form's, so a retry adds nothing twice.
    A resized photo comes with its original's description and key instead (the original
    follows by evidence_original_add)."""
    # Its checks and findings are read only if the page comes back with an error.
    activity = _activity_or_404(request, pk, details=False)
    access.require(request.user, "edit", activity.report)
    form = EvidenceForm(request.POST, request.FILES)
    wants_json = "application/json" in request.headers.get("Accept", "")
    errors: list[str] = []
    added = 0
    uploads = request.FILES.getlist("photo")
    declared: list[DeclaredOriginal | None] = []
    if not form.is_valid():
        errors.extend(
            str(message)
            for message in form.errors.get("originals")
            or [_("The page was out of date; try again.")]
        )
    elif not uploads:
        errors.append(_("Choose a photo first."))
    else:
        # Nothing is saved when one description is refused: the phone sends them all again.
        declared, errors = _declared_originals(
            [upload.name for upload in uploads], form.cleaned_data["originals"]
        )
        if errors:
            uploads = []
    if uploads:
        base = form.cleaned_data["client_id"]
        keys = [
            described.key if described else uuid.uuid5(base, str(index))
            for index, described in enumerate(declared)
        ]
        refused = _over_photo_limit(request, activity, uploads, keys)
        if refused:
            errors.append(refused)
            uploads = []
        for key, upload, described in zip(keys, uploads, declared, strict=False):
            if upload.size > settings.SILAHAP_EVIDENCE_MAX_BYTES:
                errors.append(
                    _("%(name)s: the file is larger than %(mb)d MB.")
                    % {"name": upload.name[:80], "mb": settings.SILAHAP_EVIDENCE_MAX_BYTES // 2**20}
                )
                continue
            try:
                services.evidence_add(
                    by=request.user,
                    client_id=key,
                    activity=activity,
                    data=upload.read(),
                    caption=form.cleaned_data.get("caption") or "",
                    declared=described,
                )
            except ValidationError as error:
                errors.extend(f"{upload.name[:80]}: {message}" for message in error.messages)
            else:
                added += 1
    if wants_json:
        return JsonResponse({"added": added, "errors": errors}, status=422 if errors else 201)
    if errors:
        return _activity_page(
            request, _activity_or_404(request, pk), evidence_errors=errors, status=422
        )
    messages.success(request, _("Photo saved."))
    return redirect(activity.get_absolute_url() + "#photos")


@require_POST
def evidence_original_add(request, key: uuid.UUID):
    """Receive the original of a photo sent resized: only its author sends it, it must be the
    file whose SHA-256 came with the copy, and a repeat changes nothing. Answers JSON (the
    phone's outbox sends it by itself)."""
    evidence = get_object_or_404(
        Evidence.objects.filter(activity__in=Activity.objects.visible_to(request.user)),
        client_id=key,
    )
    if evidence.uploaded_by_id != request.user.pk:
        # Before reading the file; the service refuses it too.
        raise PermissionDenied("only the officer who took a photo sends its original")
    upload = request.FILES.get("original")
    if upload is None:
        return JsonResponse({"errors": [_("Choose a photo first.")]}, status=422)
    if upload.size > settings.SILAHAP_EVIDENCE_MAX_BYTES:
        message = _("The file is larger than %(mb)d MB.") % {
            "mb": settings.SILAHAP_EVIDENCE_MAX_BYTES // 2**20
        }
        return JsonResponse({"errors": [message]}, status=422)
    try:
        evidence = services.evidence_original_add(
            by=request.user, evidence=evidence, data=upload.read()
        )
    except ValidationError as error:
        return JsonResponse({"errors": error.messages}, status=422)
    return JsonResponse({"state": evidence.original_state, "sha256": evidence.sha256})


EVIDENCE_VARIANTS = {"thumbnail": "thumbnail", "display": "display", "original": "original"}
COPY_PREPARING = settings.BASE_DIR / "static" / "img" / "photo-preparing.svg"


def _copy_preparing() -> HttpResponse:
    """What a page shows for a photo whose copies the worker has not made yet (seconds after
    the upload): a neutral picture, never a broken image, never kept, so the next look shows
    the photo."""
    response = HttpResponse(COPY_PREPARING.read_bytes(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the picture is a document: it may run nothing.
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_GET
def evidence_file(request, pk: int, variant: str):
    """Serve a photo only to those who may see its activity; never from a public URL."""
    if variant not in EVIDENCE_VARIANTS:
        raise Http404
    evidence = get_object_or_404(
        Evidence.objects.filter(
            activity__in=Activity.objects.visible_to(request.user)
        ).select_related("activity__report__unit"),
        pk=pk,
    )
    if not access.can(request.user, "read_details", evidence.activity):
        raise Http404
    stored = getattr(evidence, EVIDENCE_VARIANTS[variant])
    original = variant == "original"
    if not stored and not original:
        return _copy_preparing()
    if not stored:
        raise Http404  # an original that has not arrived yet
    content_type = evidence.content_type if original else "image/jpeg"
    extension = {
        "image/jpeg": "jpg",
        "image/png": "png",
        "image/webp": "webp",
        "image/heic": "heic",
    }
    filename = f"bukti-{evidence.pk}-{variant}.{extension.get(content_type, 'bin')}"
    # Streamed through the app, or a redirect to a URL of the object store signed for a minute.
    response = file_response(
        request, stored, content_type=content_type, filename=filename, as_attachment=original
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not original and isinstance(response, FileResponse):
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
