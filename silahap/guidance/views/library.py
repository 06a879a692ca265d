"""The SOP library: list and search, an SOP with its versions, publish, acknowledge."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silahap.accounts import access
from silahap.guidance import config
from silahap.guidance.forms import SearchForm, SopForm, SopVersionForm
from silahap.guidance.models import Sop, SopAcknowledgement, SopCategory, SopVersion, Tutorial
from silahap.guidance.rules import may_publish_any
from silahap.guidance.services import library as services
from silahap.guidance.views.common import apply_errors
from silahap.storage import file_response

LIST_SIZE = 200


def staff_only(request) -> None:
    """Partner-agency members see nothing of guidance: 404, as for a page that does not exist."""
    if not access.is_immigration_staff(request.user):
        raise Http404


def _too_large(form, upload, limit: int) -> bool:
    if upload is not None and upload.size > limit:
        form.add_error(
            "file", _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
        return True
    return False


@require_GET
def sop_list(request):
    """The library by category; search looks in titles and in the current versions' text."""
    staff_only(request)
    search = SearchForm(request.GET or None)
    sops = Sop.objects.visible_to(request.user)
    term = ""
    if search.is_valid():
        term = search.cleaned_data["q"].strip()
    if term:
        sops = sops.filter(
            Q(title__icontains=term)
            | Q(
                pk__in=SopVersion.objects.filter(is_current=True, text__icontains=term).values(
                    "sop_id"
                )
            )
        )
    sops = list(
        sops.prefetch_related(
            Prefetch(
                "versions", queryset=SopVersion.objects.filter(is_current=True), to_attr="current"
            )
        ).order_by("category", "title")[:LIST_SIZE]
    )
    read = set(
        SopAcknowledgement.objects.filter(
            user=request.user, version__in=[v for sop in sops for v in sop.current]
        ).values_list("version_id", flat=True)
    )
    roles = access.roles_of(request.user)
    for sop in sops:
        sop.current_version = sop.current[0] if sop.current else None
        sop.is_required = bool(set(sop.required_roles) & roles)
        sop.is_read = sop.current_version is not None and sop.current_version.pk in read
    return render(
        request,
        "guidance/sop_list.html",
        {
            "sops": sops,
            "search": search,
            "term": term,
            "categories": SopCategory,
            "may_publish": may_publish_any(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def sop_create(request):
    staff_only(request)
    if not may_publish_any(request.user):
        raise PermissionDenied("leaders and office administrators keep the library")
    form = SopForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("file")
            if not _too_large(form, upload, config.sop_max_bytes()):
                try:
                    sop = services.sop_create(by=request.user, data=upload.read(), **data)
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("SOP published."))
                    return redirect(sop.get_absolute_url())
    return render(request, "guidance/sop_form.html", {"form": form}, status=status)


def _sop_or_404(request, pk: int) -> Sop:
    staff_only(request)
    return get_object_or_404(Sop.objects.visible_to(request.user), pk=pk)


def _sop_page(request, sop: Sop, *, version_form=None, status=200):
    versions = list(
        SopVersion.objects.visible_to(request.user)
        .filter(sop=sop)
        .select_related("published_by")
        .order_by("-published_at", "-pk")
    )
    current = next((v for v in versions if v.is_current), None)
    acknowledged = (
        current is not None
        and SopAcknowledgement.objects.filter(version=current, user=request.user).exists()
    )
    publisher = may_publish_any(request.user)
    return render(
        request,
        "guidance/sop_detail.html",
        {
            "sop": sop,
            "versions": versions,
            "current": current,
            "acknowledged": acknowledged,
            "is_required": bool(set(sop.required_roles) & access.roles_of(request.user)),
            "tutorials": list(Tutorial.objects.visible_to(request.user).filter(sop=sop)),
            "version_form": (version_form or SopVersionForm()) if publisher else None,
        },
        status=status,
    )


@require_GET
def sop_detail(request, pk: int):
    return _sop_page(request, _sop_or_404(request, pk))


@require_POST
def sop_version_publish(request, pk: int):
    sop = _sop_or_404(request, pk)
    if not may_publish_any(request.user):
        raise PermissionDenied("leaders and office administrators keep the library")
    form = SopVersionForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        if not _too_large(form, upload, config.sop_max_bytes()):
            try:
                services.sop_version_publish(by=request.user, sop=sop, data=upload.read(), **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("New version published."))
                return redirect(sop.get_absolute_url())
    return _sop_page(request, sop, version_form=form, status=422)


def _version_or_404(request, pk: int) -> SopVersion:
    staff_only(request)
    return get_object_or_404(
        SopVersion.objects.visible_to(request.user).select_related("sop"), pk=pk
    )


@require_GET
def sop_version_file(request, pk: int):
    version = _version_or_404(request, pk)
    return file_response(
        request,
        version.file,
        content_type="application/pdf",
        filename=f"SOP-{version.sop_id}-v{version.number}.pdf",
        as_attachment=False,
    )


@require_POST
def sop_acknowledge(request, pk: int):
    version = _version_or_404(request, pk)
    if not access.can(request.user, "acknowledge", version):
        raise PermissionDenied("staff only")
    try:
        services.sop_acknowledge(by=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Recorded: you have read this version."))
    return redirect(version.sop.get_absolute_url())
