"""National synchronised operations: created centrally, the live roll-up per office and region."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from silahap.accounts import access
from silahap.accounts.models import Membership
from silahap.audit import services as audit
from silahap.operations import results as operation_results
from silahap.operations.forms import NationalOperationForm
from silahap.operations.models import Operation
from silahap.operations.rules import is_national_analyst
from silahap.operations.services import national as services
from silahap.operations.views.common import apply_errors, operation_or_404
from silahap.operations.views.documents import XLSX
from silahap.supervision.models import ActionKind

SORTS = {"visited", "checked", "followups", "tak_total", "office"}


def _analyst(request) -> None:
    if not access.units_with_role(request.user, [Membership.Role.ANALYST]):
        raise PermissionDenied("analysts follow national operations")


@require_http_methods(["GET", "POST"])
def national_list(request):
    """National operations an analyst may follow; the national analyst creates one here."""
    _analyst(request)
    operations = list(
        Operation.objects.visible_to(request.user)
        .national_roots()
        .select_related("unit")
        .order_by("-starts_at")[:100]
    )
    form = None
    status = 200
    if is_national_analyst(request.user):
        form = NationalOperationForm(request.POST or None)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("the national analyst creates national operations")
        if form.is_valid():
            data = dict(form.cleaned_data)
            count = data.pop("target_count")
            offices = data.pop("offices")
            unit = access.units_with_role(request.user, [Membership.Role.ANALYST])[0]
            try:
                root = services.national_operation_create(
                    by=request.user,
                    unit=unit,
                    offices=[services.OfficeShare(office, count) for office in offices],
                    **data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("National operation created for each office."))
                return redirect(root.get_absolute_url())
        status = 422
    return render(
        request,
        "operations/national_list.html",
        {"operations": operations, "form": form},
        status=status,
    )


def _rollup(request, pk: int):
    root = operation_or_404(request, pk)
    if not root.is_national_root:
        raise Http404
    rows = operation_results.rollup_rows(root)
    # A regional analyst sees their region's offices; the national analyst all of them.
    rows = [row for row in rows if access.supervises(request.user, row["office"])]
    if not rows and not access.supervises(request.user, root.unit):
        raise Http404
    sort = request.GET.get("sort", "visited")
    if sort not in SORTS:
        sort = "visited"
    if sort == "office":
        rows.sort(key=lambda row: row["office"].name)
    else:
        rows.sort(key=lambda row: (-row[sort], row["office"].name))
    return root, rows


@require_GET
def national_rollup(request, pk: int):
    """Per office and region: places visited, foreigners checked, followed up, TAK by type,
    who has not reported yet; live during the window."""
    root, rows = _rollup(request, pk)
    regions: dict[int, dict] = {}
    for row in rows:
        region = regions.setdefault(
            row["region"].pk,
            {"region": row["region"], "visited": 0, "checked": 0, "followups": 0, "tak_total": 0},
        )
        for key in ("visited", "checked", "followups", "tak_total"):
            region[key] += row[key]
    return render(
        request,
        "operations/national_rollup.html",
        {
            "operation": root,
            "rows": rows,
            "regions": list(regions.values()),
            "not_reported": [row for row in rows if not row["reported"]],
            "nationalities": operation_results.rollup_nationalities(root),
            "tak_kinds": ActionKind.choices,
            "sort": request.GET.get("sort", "visited"),
        },
    )


@require_GET
def national_rollup_xlsx(request, pk: int):
    from openpyxl import Workbook  # noqa: PLC0415 — heavy (~0.2 s), this export only

    root, rows = _rollup(request, pk)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("League table")[:31]
    sheet.append(
        [
            _("Office"),
            _("Region"),
            _("Planned"),
            _("Places visited"),
            _("Foreigners checked"),
            _("Follow-ups"),
            _("TAK"),
        ]
        + [str(label) for _code, label in ActionKind.choices]
        + [_("Reported")]
    )
    for row in rows:
        sheet.append(
            [
                row["office"].name,
                row["region"].name,
                row["planned"],
                row["visited"],
                row["checked"],
                row["followups"],
                row["tak_total"],
            ]
            + [row["tak"].get(code, 0) for code, _label in ActionKind.choices]
            + [_("yes") if row["reported"] else _("no")]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit.record(
        action="operation.download_rollup",
        actor=request.user,
        target=root,
        summary={"offices": len(rows)},
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rekap-operasi-{root.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
