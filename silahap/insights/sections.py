"""What insights adds to lower pages: the top-menu link and the home cards of analysts and
leaders (slots of silahap.sections), each cheap: roles come from the request's cached
memberships, numbers from the rollups in a few grouped queries."""

from __future__ import annotations

from silahap.accounts import access
from silahap.accounts.models import Membership
from silahap.insights import evaluation, metrics, periods, scope
from silahap.insights.queries import Rows

HOME_KEYS = ("activities", "persons_checked", "findings", "reports_missing")


def nav_context(request) -> dict | None:
    user = request.user
    if not access.is_immigration_staff(user):
        return None
    roles = access.roles_of(user)
    if roles & {Membership.Role.LEADER, Membership.Role.ANALYST, Membership.Role.OFFICER}:
        return {}
    return None


def home_context(request) -> dict | None:
    """This month's headline numbers of the viewer's widest unit, with links to drill down."""
    unit = scope.home_unit(request.user)
    if unit is None:
        return None
    period = periods.month_of(scope.today_for(unit))
    wanted = [metrics.BY_KEY[key] for key in HOME_KEYS]
    # The month and the month before in one reading (a query per kind of metric, not two).
    values, before = evaluation.read_periods(
        wanted, Rows(paths=(unit.path,)), period, period.previous()
    )
    return {
        "insights_unit": unit,
        "insights_period": period,
        "insights_numbers": [
            (metric, values.get(metric.key), before.get(metric.key)) for metric in wanted
        ],
    }
