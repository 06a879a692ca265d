"""League tables across offices and regions (M&E), on any metric, normalised or not."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from silahap.insights import metrics, scope
from silahap.insights.forms import LeagueForm
from silahap.insights.league import league as league_rows
from silahap.insights.views.common import FORMATS, export_table


@require_GET
def league(request):
    units = scope.scopes(request.user)
    if not units:
        raise Http404
    form = LeagueForm(
        {name: request.GET.get(name, "") for name in ("p", "metric", "level", "norm")},
        today=scope.today_for(None),
    )
    context = {"form": form}
    if not form.is_valid():
        if "metric" in form.errors and request.GET.get("metric"):
            raise Http404  # an unknown metric in the URL
        return render(request, "insights/league.html", context, status=400)
    data = form.cleaned_data
    metric = metrics.BY_KEY[data["metric"]]
    entries, table = league_rows(
        metric, scopes=units, period=data["p"], level=data["level"], norm=data["norm"]
    )
    context.update(
        {
            "metric": metric,
            "period": data["p"],
            "level": data["level"],
            "norm": data["norm"],
            "entries": entries,
            "table": table,
        }
    )
    if request.GET.get("format") in FORMATS:
        return export_table(request, table, f"league-{metric.key}-{data['p'].param}")
    return render(request, "insights/league.html", context)
