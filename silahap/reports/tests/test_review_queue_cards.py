"""The review queue's cards written in Python give the markup its template loop gave: the loop is
kept here as the reference and rendered beside them, for hostile values and both languages."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from silahap.accounts.models import OrgUnit, User
from silahap.reports.models import DailyReport

OLD = """{% load i18n %}{% for report in reports %}
<a class="activity-card" href="{{ report.get_absolute_url }}" data-testid="queue-report">
  <strong>{{ report.officer.full_name }}</strong> · {{ report.report_date|date:"D, j M Y" }}
  {% if report.is_late %}<span class="badge late">{% translate "Late" %}</span>{% endif %}
  {% if report.revision_number > 1 %}<span class="badge">{% blocktranslate with number=report.revision_number %}version {{ number }}{% endblocktranslate %}</span>{% endif %}
  <div class="meta">{{ report.unit.name }} · {% blocktranslate count n=report.activity_count %}{{ n }} activity{% plural %}{{ n }} activities{% endblocktranslate %} · {% translate "submitted" %} {{ report.submitted_at|date:"j M H:i" }}</div>
  {% if report.finding_count %}<div class="meta" data-testid="queue-findings"><strong>{% blocktranslate count n=report.finding_count %}{{ n }} finding{% plural %}{{ n }} findings{% endblocktranslate %}</strong>{% if report.overstay_count %} · {% blocktranslate count n=report.overstay_count %}{{ n }} overstay{% plural %}{{ n }} overstays{% endblocktranslate %}{% endif %}</div>{% endif %}
</a>
{% empty %}
<p class="muted" data-testid="queue-empty">{% translate "Nothing waiting for review." %}</p>
{% endfor %}"""  # noqa: E501
NEW = """{% load i18n reports_tables %}{% if reports %}{% review_queue_cards reports %}{% else %}
<p class="muted" data-testid="queue-empty">{% translate "Nothing waiting for review." %}</p>
{% endif %}"""


def _report(pk, *, name, unit, late, revision, counts, submitted_at) -> DailyReport:
    report = DailyReport(
        pk=pk,
        officer=User(username=f"u{pk}", full_name=name),
        unit=OrgUnit(name=unit),
        report_date=datetime.date(2026, 3, 1) + datetime.timedelta(days=pk),
        is_late=late,
        revision_number=revision,
        submitted_at=submitted_at,
    )
    report.activity_count, report.finding_count, report.overstay_count = counts
    return report


def _reports() -> list[DailyReport]:
    utc = datetime.UTC
    return [
        _report(
            7,
            name="Petugas <script>alert(\"x\")</script> & 'Co'",
            unit='Seksi <b>Inteldakim</b> & "Tim"',
            late=True,
            revision=3,
            counts=(1, 2, 1),
            submitted_at=datetime.datetime(2026, 3, 8, 16, 59, tzinfo=utc),
        ),
        _report(
            123456,
            name="",
            unit=" ",
            late=False,
            revision=1,
            counts=(1234, 0, 0),
            submitted_at=datetime.datetime(2026, 12, 31, 23, 30, tzinfo=utc),
        ),
        _report(
            41,
            name="Dewi O'Brien",
            unit="Tim 1",
            late=False,
            revision=2,
            counts=(0, 1, 0),
            submitted_at=None,
        ),
    ]


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Jayapura"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_cards_written_in_one_pass_are_the_loops_cards(language, zone):
    context = {"reports": _reports()}
    with translation.override(language), timezone.override(zone):
        expected = Template(OLD).render(Context(context))
        written = Template(NEW).render(Context(context))
    assert written == expected
    assert "<script>" not in written
    assert written.count('data-testid="queue-report"') == 3


@pytest.mark.parametrize("language", ["id", "en"])
def test_an_empty_queue_says_so_as_before(language):
    with translation.override(language):
        expected = Template(OLD).render(Context({"reports": []}))
        written = Template(NEW).render(Context({"reports": []}))
    assert written == expected
    assert 'data-testid="queue-empty"' in written
