"""The live operation page (polled like the leaders' board) and partner agencies' actions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from silahap import inputs, limits
from silahap.accounts import access
from silahap.operations import queries
from silahap.operations import results as operation_results
from silahap.operations.forms import PartnerActionForm
from silahap.operations.models import Operation, OperationMember, PartnerAction
from silahap.operations.services.running import partner_action_record
from silahap.operations.views.common import apply_errors, operation_or_404
from silahap.storage import file_response


def _items(rows, zone=None) -> list[dict]:
    """Feed rows as the page shows them; the poll sends UTC and the script shows it in the
    office's zone (data-zone), so the poll needs no query for the zone."""
    return [
        {
            "kind": kind,
            "id": pk,
            "at": f"{timezone.localtime(at, zone):%H:%M}" if zone else at.isoformat(),
            "text": text,
        }
        for kind, pk, at, text in rows
    ]


def _cursors(items: list[dict], base: dict[str, int] | None = None) -> dict[str, int]:
    cursors = dict(base or {kind: 0 for kind in queries.LIVE_KINDS})
    for item in items:
        cursors[item["kind"]] = max(cursors.get(item["kind"], 0), item["id"])
    return cursors


@require_GET
def operation_live(request, pk: int):
    """Teams, targets visited and not yet, and checks, findings and actions as they arrive."""
    operation = operation_or_404(request, pk)
    results = operation_results.operation_results(operation)
    items = _items(list(queries.live_feed(request.user, operation, {}, limit=100)), operation.zone)
    return render(
        request,
        "operations/operation_live.html",
        {
            "operation": operation,
            "results": results,
            "teams": list(operation.teams.select_related("leader")),
            "members": list(
                OperationMember.objects.filter(operation=operation).select_related("user")
            ),
            "items": items,
            "cursors": _cursors(items),
            "poll_seconds": settings.SILAHAP_BOARD_POLL_SECONDS,
        },
    )


@require_GET
@never_cache
def operation_live_feed(request, pk: int):
    """What arrived after the page's cursors, as JSON; 204 when nothing is new. One query of its
    own (the access is re-checked inside it); the session is only read."""
    # read_int gives its default (0) for an absent value, never None.
    pk = inputs.read_int(str(pk), low=1, high=limits.ID_MAX, default=0) or 0
    cursors = {
        kind: inputs.read_int(request.GET.get(kind), low=0, high=limits.ID_MAX, default=0) or 0
        for kind in queries.LIVE_KINDS
    }
    rows = list(queries.live_feed(request.user, pk, cursors))
    if not rows:
        return HttpResponse(status=204)
    items = _items(rows)
    return JsonResponse({"items": items, "cursors": _cursors(items, cursors)})


@require_http_methods(["GET", "POST"])
def partner_action_create(request, pk: int):
    """A partner member records what their agency did at one of the operation's targets."""
    operation = operation_or_404(request, pk)
    access.require(request.user, "record_partner_action", operation)
    targets = list(operation.targets.select_related("place"))
    form = PartnerActionForm(request.POST or None, request.FILES or None, targets=targets)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("photo")
            if upload is not None and upload.size > settings.SILAHAP_EVIDENCE_MAX_BYTES:
                form.add_error("photo", _("The photo is too large."))
            else:
                try:
                    partner_action_record(
                        by=request.user,
                        operation=operation,
                        photo=upload.read() if upload else None,
                        **data,
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("Your agency's action is recorded."))
                    return redirect(operation.get_absolute_url())
        status = 422
    else:
        status = 200
    return render(
        request,
        "operations/partner_action_form.html",
        {"operation": operation, "form": form},
        status=status,
    )


@require_GET
def partner_action_photo(request, pk: int):
    """The photo, only to those who may read the operation; never from a public URL."""
    action = get_object_or_404(
        PartnerAction.objects.filter(operation__in=Operation.objects.visible_to(request.user)),
        pk=pk,
    )
    if not action.photo:
        raise Http404
    extension = {"image/jpeg": "jpg", "image/png": "png"}.get(action.photo_type, "bin")
    return file_response(
        request,
        action.photo,
        content_type=action.photo_type,
        filename=f"tindakan-{action.pk}.{extension}",
        as_attachment=False,
        sandbox=True,
    )
