"""The operation report (Laporan Hasil Operasi) as PDF, and the same tables as XLSX.

The PDF is an HTML template rendered by WeasyPrint; its map is an SVG drawn here from the visited
places' points, because map tiles are not reachable from the server.
"""

from __future__ import annotations

import base64
import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from silahap.accounts.models import Membership
from silahap.operations import results as operation_results
from silahap.operations.models import Operation, PartnerAction
from silahap.reports.models import Evidence

MAP_WIDTH = 480
MAP_HEIGHT = 300
MARGIN = 24
PHOTOS = 6


def places_svg(places) -> SafeString:
    """A small map of the visited places: points projected on their bounding box, numbered,
    with a list beside it in the document (no tiles, no network)."""
    points = [
        (index, place, float(place.longitude), float(place.latitude))
        for index, place in enumerate(places, start=1)
        if place.latitude is not None and place.longitude is not None
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{MAP_WIDTH}" height="{MAP_HEIGHT}" '
        f'viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" role="img">',
        f'<rect width="{MAP_WIDTH}" height="{MAP_HEIGHT}" fill="#eef3f7" stroke="#9aa"/>',
    ]
    if points:
        lngs = [lng for _i, _p, lng, _lat in points]
        lats = [lat for _i, _p, _lng, lat in points]
        span = max(max(lngs) - min(lngs), max(lats) - min(lats), 0.01)
        scale = min(MAP_WIDTH - 2 * MARGIN, MAP_HEIGHT - 2 * MARGIN) / span
        for index, _place, lng, lat in points:
            x = MARGIN + (lng - min(lngs)) * scale
            y = MAP_HEIGHT - MARGIN - (lat - min(lats)) * scale
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="#c62828"/>'
                f'<text x="{x + 9:.1f}" y="{y + 4:.1f}" font-size="11" '
                f'font-family="sans-serif">{index}</text>'
            )
        scale_note = _("North is up; %(km).1f km across") % {"km": span * 111}
        parts.append(
            f'<text x="{MARGIN}" y="{MAP_HEIGHT - 6}" font-size="9" font-family="sans-serif" '
            f'fill="#555">{escape(scale_note)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — built from numbers and escaped text only


def selected_photos(operation: Operation) -> list[dict]:
    """Up to PHOTOS of the operation's photos, inlined as data URIs (WeasyPrint fetches nothing).
    The re-encoded display copies are used, never the originals."""
    ids = [operation.pk]
    if operation.is_national_root:
        ids = list(operation.children.values_list("pk", flat=True))
    photos = []
    evidence = (
        Evidence.objects.filter(activity__operation_link__operation__in=ids)
        .exclude(thumbnail="")
        .select_related("activity__place")
        .order_by("uploaded_at")[:PHOTOS]
    )
    for item in evidence:
        try:
            with item.thumbnail.open("rb") as handle:
                data = handle.read()
        except OSError:
            continue
        photos.append(
            {
                "uri": "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii"),
                "caption": item.caption
                or (item.activity.place.name if item.activity.place else ""),
            }
        )
    return photos


def _head_of(operation: Operation):
    office = operation.unit.office or operation.unit
    membership = (
        Membership.objects.current()
        .filter(unit=office, role=Membership.Role.LEADER)
        .select_related("user")
        .order_by("is_acting", "pk")
        .first()
    )
    return office, membership.user if membership else None


def report_context(operation: Operation, *, masked: bool) -> dict:
    results = operation_results.operation_results(operation)
    office, head = _head_of(operation)
    zone = operation.zone
    return {
        "operation": operation,
        "office": office,
        "head": head,
        "results": results,
        "findings": operation_results.findings_list(operation, masked=masked),
        "teams": list(operation.teams.select_related("leader").prefetch_related("members__user")),
        "agencies": list(operation.agencies.all()),
        "warrants": list(operation.warrants.all()),
        "actions": operation_results.with_agency_labels(
            list(PartnerAction.objects.filter(operation=operation).select_related("target__place"))
        ),
        "map": places_svg(results.visited_places),
        "photos": selected_photos(operation),
        "starts": timezone.localtime(operation.starts_at, zone),
        "ends": timezone.localtime(operation.ends_at, zone),
        "printed": timezone.localtime(timezone.now(), zone),
        "masked": masked,
    }


def report_pdf(operation: Operation, *, masked: bool) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 — heavy (~1 s), this PDF only

    html = render_to_string(
        "operations/operation_report_pdf.html", report_context(operation, masked=masked)
    )
    # No base URL: the template carries everything inline, so nothing is fetched.
    return HTML(string=html).write_pdf()


def _sheet(workbook, title: str, header: list[str], rows) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(value) for value in row])


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    text = str(value) if not isinstance(value, (int, float)) else value
    # A value starting like a formula is written as text, never evaluated by a spreadsheet.
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


def report_xlsx(operation: Operation, *, masked: bool) -> bytes:
    """The report's tables, one sheet each."""
    from openpyxl import Workbook  # noqa: PLC0415 — heavy (~0.2 s), this export only

    results = operation_results.operation_results(operation)
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    for label, value in [
        (_("Operation"), f"{operation.number} {operation.name}"),
        (_("Places visited"), results.visited),
        (_("Places planned"), results.planned),
        (_("Foreigners checked"), results.checked),
        (_("Findings"), results.findings),
        (_("Follow-ups opened"), results.followups),
        (_("Administrative actions (TAK)"), results.tak_total),
    ]:
        summary.append([label, _cell(value)])
    _sheet(
        workbook,
        _("Nationalities"),
        [_("Nationality"), _("Persons")],
        [(name, n) for _code, name, n in results.by_nationality],
    )
    _sheet(workbook, _("Violations"), [_("Violation"), _("Findings")], results.by_violation)
    _sheet(workbook, _("TAK"), [_("Action"), _("Number")], results.tak)
    _sheet(
        workbook,
        _("Partner actions"),
        [_("Agency"), _("Actions"), _("Persons or documents")],
        results.partner_actions,
    )
    _sheet(
        workbook,
        _("Findings"),
        [_("Name"), _("Nationality"), _("Document"), _("Violation"), _("Action")],
        [
            (row.name, row.nationality, row.document, row.violation, row.action)
            for row in operation_results.findings_list(operation, masked=masked)
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
