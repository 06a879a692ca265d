"""Downloads of an operation's report: PDF and XLSX, each download audited."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from silahap.accounts import access
from silahap.audit import services as audit
from silahap.operations import documents
from silahap.operations.views.common import operation_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(request, pk: int, kind: str, content_type: str, build) -> HttpResponse:
    operation = operation_or_404(request, pk)
    masked = access.is_partner(request.user)
    data = build(operation, masked=masked)
    audit.record(
        action=f"operation.download_{kind}",
        actor=request.user,
        target=operation,
        purpose="joint_operation" if masked else "",
        summary={"masked": masked, "bytes": len(data)},
    )
    filename = f"laporan-operasi-{operation.pk}.{kind}"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def operation_pdf(request, pk: int):
    return _download(request, pk, "pdf", "application/pdf", documents.report_pdf)


@require_GET
def operation_xlsx(request, pk: int):
    return _download(request, pk, "xlsx", XLSX, documents.report_xlsx)
