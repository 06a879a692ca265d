"""The browsable API reference, from the vendored Swagger UI."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def reference(request):
    return render(request, "integration/reference.html")
