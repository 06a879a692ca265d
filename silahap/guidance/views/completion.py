"""Completion: what each officer must still do; a leader's matrix, reminders, XLSX export."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from silahap import inputs, limits
from silahap.accounts.models import OrgUnit
from silahap.audit import services as audit
from silahap.guidance import completion, queries
from silahap.guidance.services.completion import training_remind
from silahap.guidance.views.library import staff_only

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def training(request):
    """The officer's own required SOPs and tutorials, done or not."""
    staff_only(request)
    return render(
        request,
        "guidance/training.html",
        {
            "required": completion.for_officer(request.user),
            "is_leader": bool(queries.leader_units(request.user)),
        },
    )


def _unit(request, source) -> OrgUnit:
    """The unit asked for, among those the leader leads (the first one when none is asked)."""
    units = queries.leader_units(request.user)
    if not units:
        raise PermissionDenied("the completion matrix is for leaders")
    wanted = inputs.read_int(source.get("unit"), low=1, high=limits.ID_MAX, name="unit")
    if wanted is None:
        return units[0]
    for unit in units:
        if unit.pk == wanted:
            return unit
    raise PermissionDenied("not a unit this leader leads")


@require_GET
def completion_matrix(request):
    staff_only(request)
    unit = _unit(request, request.GET)
    items, rows = completion.matrix([unit])
    return render(
        request,
        "guidance/completion_matrix.html",
        {
            "unit": unit,
            "units": queries.leader_units(request.user),
            "items": items,
            "rows": rows,
            "behind_count": sum(1 for row in rows if row.behind and row.user != request.user),
        },
    )


@require_POST
def completion_remind(request):
    staff_only(request)
    unit = _unit(request, request.POST)
    try:
        behind = training_remind(by=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Reminded %(count)d members who are behind.") % {"count": len(behind)}
        )
    return redirect(f"{reverse('guidance:completion_matrix')}?unit={unit.pk}")


@require_GET
def completion_export(request):
    from openpyxl import Workbook  # noqa: PLC0415 — heavy (~0.2 s), this export only

    staff_only(request)
    unit = _unit(request, request.GET)
    items, rows = completion.matrix([unit])
    zone = unit.zone
    book = Workbook()
    sheet = book.active
    sheet.title = "Kepatuhan"
    sheet.append([_("Name"), _("Username"), *[item.title for item in items]])
    for row in rows:
        values = []
        for cell in row.cells:
            if not cell.required:
                values.append("—")
            elif cell.done_at is None:
                values.append(_("not yet"))
            else:
                local = timezone.localtime(cell.done_at, zone).strftime("%Y-%m-%d %H:%M")
                values.append(f"{local} v{cell.version}" if cell.version else local)
        sheet.append([str(row.user), row.user.username, *values])
    buffer = io.BytesIO()
    book.save(buffer)
    audit.record(
        action="completion.export", actor=request.user, target=unit, summary={"rows": len(rows)}
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localdate(timezone=zone).isoformat()
    response["Content-Disposition"] = f'attachment; filename="kepatuhan-{unit.code}-{stamp}.xlsx"'
    return response
