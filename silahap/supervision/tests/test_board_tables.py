"""The live board's lists written in Python give the markup their template loops gave: the loops
are kept here as the reference and rendered beside them, for hostile values, every officer state,
both languages and two zones. The activity rows are also what the poll sends."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from silahap.accounts.models import OrgUnit, User
from silahap.registry.models import Place
from silahap.reports.models import Activity, DailyReport
from silahap.supervision.models import Absence, FollowUp, FollowUpStep
from silahap.supervision.queries import MissingReport, OfficerDay

HOSTILE = "<script>alert(\"x\")</script> & 'Co'"
UTC = datetime.UTC

OLD = {
    "activities": """{% load i18n %}{% for activity in activities %}
<li class="board-activity" data-testid="board-activity" data-activity="{{ activity.pk }}"{% if activity.point %} data-lat="{{ activity.point.lat }}" data-lng="{{ activity.point.lng }}" data-label="{{ activity.point.label }}"{% endif %}>
  <a href="{{ activity.get_absolute_url }}"><strong>{{ activity.started_at|time:"H:i" }}</strong> {{ activity.report.officer }}</a>
  <span class="muted">· {{ activity.get_kind_display }}{% if activity.show_details and activity.place %} · {{ activity.place.name }}{% elif not activity.show_details %} · {% translate "Closed (intelligence) activity: details hidden." %}{% endif %}</span>
</li>{% endfor %}
""",  # noqa: E501
    "officers": """{% load i18n %}<tbody>
  {% for row in officers %}
    <tr data-testid="officer-row" data-officer="{{ row.officer.username }}" data-state="{{ row.state }}">
      <td>{{ row.officer }}</td>
      <td data-field="state">{% if row.state == "filed" %}<span class="badge {{ row.report.status }}">{{ row.report.get_status_display }}</span>{% if row.report.is_late %} <span class="badge late">{% translate "late" %}</span>{% endif %}
          {% elif row.state == "absent" %}<span class="badge">{{ row.absence.get_kind_display }}</span>
          {% elif row.state == "missing" %}<span class="badge late">{% translate "missing" %}</span>
          {% else %}<span class="badge draft">{% translate "not yet" %}</span>{% endif %}</td>
      <td class="muted" data-field="activities">{{ row.activity_count }} {% translate "activities" %}</td>
    </tr>
  {% empty %}<tr><td class="muted">{% translate "No officers in these units." %}</td></tr>{% endfor %}
  </tbody>""",  # noqa: E501
    "queue": """{% load i18n %}<ul data-testid="board-queue">{% for report in queue %}
    <li><a href="{{ report.get_absolute_url }}">{{ report.officer }} · {{ report.report_date|date:"d-m-Y" }}</a> <span class="muted">{{ report.activity_count }} {% translate "activities" %}</span></li>
  {% empty %}<li class="muted">{% translate "Nothing waiting." %}</li>{% endfor %}</ul>""",  # noqa: E501
    "missing": """{% load i18n %}<ul data-testid="board-missing">{% for row in missing %}
    <li data-testid="missing-row" data-officer="{{ row.officer.username }}" data-day="{{ row.day|date:'Y-m-d' }}">{{ row.day|date:"D d-m" }} · {{ row.officer }}</li>
  {% empty %}<li class="muted">{% translate "None." %}</li>{% endfor %}</ul>""",  # noqa: E501
    "late": """{% load i18n %}<ul data-testid="board-late">{% for report in late %}
    <li><a href="{{ report.get_absolute_url }}">{{ report.report_date|date:"D d-m" }} · {{ report.officer }}</a></li>
  {% empty %}<li class="muted">{% translate "None." %}</li>{% endfor %}</ul>""",  # noqa: E501
    "steps": """{% load i18n %}<ul data-testid="board-overdue-steps">{% for step in overdue_steps %}
    <li><a href="{{ step.followup.get_absolute_url }}">#{{ step.followup_id }} · {{ step.get_kind_display }}</a> · {{ step.due_date|date:"d-m-Y" }}{% if step.assignee %} · {{ step.assignee }}{% endif %}</li>
  {% empty %}<li class="muted">{% translate "None." %}</li>{% endfor %}</ul>""",  # noqa: E501
}
NEW = {
    "activities": '{% include "supervision/_board_activities.html" %}',
    "officers": """{% load i18n board_tables %}<tbody>
  {% if officers %}{% board_officer_rows officers %}{% else %}<tr><td class="muted">{% translate "No officers in these units." %}</td></tr>{% endif %}
  </tbody>""",  # noqa: E501
    "queue": """{% load i18n board_tables %}<ul data-testid="board-queue">{% if queue %}{% board_queue_rows queue %}{% else %}<li class="muted">{% translate "Nothing waiting." %}</li>{% endif %}</ul>""",  # noqa: E501
    "missing": """{% load i18n board_tables %}<ul data-testid="board-missing">{% if missing %}{% board_missing_rows missing %}{% else %}<li class="muted">{% translate "None." %}</li>{% endif %}</ul>""",  # noqa: E501
    "late": """{% load i18n board_tables %}<ul data-testid="board-late">{% if late %}{% board_late_rows late %}{% else %}<li class="muted">{% translate "None." %}</li>{% endif %}</ul>""",  # noqa: E501
    "steps": """{% load i18n board_tables %}<ul data-testid="board-overdue-steps">{% if overdue_steps %}{% board_step_rows overdue_steps %}{% else %}<li class="muted">{% translate "None." %}</li>{% endif %}</ul>""",  # noqa: E501
}


def _officer(pk: int, name: str) -> User:
    return User(pk=pk, username=f'{name[:3]}"<{pk}>', full_name=name)


def _report(pk: int, officer: User, **fields) -> DailyReport:
    report = DailyReport(
        pk=pk,
        officer=officer,
        unit=OrgUnit(name=HOSTILE),
        report_date=datetime.date(2026, 3, 1) + datetime.timedelta(days=pk % 40),
        **fields,
    )
    report.activity_count = pk * 7
    return report


def _activities() -> list[Activity]:
    rows = []
    cases = [
        (True, Place(name=HOSTILE), {"lat": -6.25, "lng": 106.8, "label": HOSTILE}),
        (True, None, None),
        (False, Place(name="secret"), None),
    ]
    for number, (show, place, point) in enumerate(cases, start=1):
        activity = Activity(
            pk=number * 1000 + 1,
            report=_report(number, _officer(number, HOSTILE)),
            kind=["field", "administrative", "field"][number - 1],
            place=place,
            started_at=datetime.datetime(2026, 3, 5, 23, 45 + number, tzinfo=UTC),
        )
        activity.show_details = show
        activity.point = point
        rows.append(activity)
    return rows


def _officers() -> list[OfficerDay]:
    now = timezone.now()
    filed = _report(3, _officer(3, "Filed"), status="submitted", first_submitted_at=now)
    filed_late = _report(
        4, _officer(4, ""), status="approved", first_submitted_at=now, is_late=True
    )
    return [
        OfficerDay(officer=_officer(3, HOSTILE), unit=OrgUnit(), report=filed, activity_count=2),
        OfficerDay(officer=_officer(4, ""), unit=OrgUnit(), report=filed_late, activity_count=0),
        OfficerDay(officer=_officer(5, "Absent"), unit=OrgUnit(), absence=Absence(kind="sick")),
        OfficerDay(
            officer=_officer(6, "Missing"),
            unit=OrgUnit(),
            deadline=now - datetime.timedelta(hours=1),
        ),
        OfficerDay(
            officer=_officer(7, "Not yet"),
            unit=OrgUnit(),
            report=_report(7, _officer(7, "x"), status="draft"),
            deadline=now + datetime.timedelta(hours=1),
            activity_count=1234,
        ),
    ]


def _context() -> dict:
    step_kinds = [choice for choice, _label in FollowUpStep.Kind.choices]
    return {
        "activities": _activities(),
        "officers": _officers(),
        "queue": [_report(n, _officer(n, HOSTILE)) for n in (1, 12, 123)],
        "missing": [
            MissingReport(
                officer=_officer(n, HOSTILE),
                unit=OrgUnit(),
                day=datetime.date(2026, 3, n),
                deadline=timezone.now(),
            )
            for n in (2, 9, 28)
        ],
        "late": [_report(n, _officer(n, HOSTILE), is_late=True) for n in (5, 17, 31)],
        "overdue_steps": [
            FollowUpStep(
                pk=n,
                followup=FollowUp(pk=n * 11),
                kind=step_kinds[n % len(step_kinds)],
                due_date=datetime.date(2026, 2, n),
                assignee=_officer(n, HOSTILE) if n % 2 else None,
            )
            for n in (1, 2, 3)
        ],
    }


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Jayapura"])
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("part", sorted(OLD))
def test_a_list_written_in_one_pass_is_the_loops_list(part, language, zone):
    context = _context()
    with translation.override(language), timezone.override(zone):
        expected = Template(OLD[part]).render(Context(context))
        written = Template(NEW[part]).render(Context(context))
    assert written == expected
    assert "<script>" not in written
    assert written.count("<li") + written.count("<tr") >= 3


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("part", sorted(OLD))
def test_an_empty_list_says_so_as_before(part, language):
    context = {name: [] for name in _context()}
    with translation.override(language):
        expected = Template(OLD[part]).render(Context(context))
        written = Template(NEW[part]).render(Context(context))
    assert written == expected
