"""The league table's body written in Python gives the markup the template's loop gave, and
its selects written once give the markup Django's widgets write."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from silahap.accounts.models import OrgUnit
from silahap.insights.forms import LeagueForm
from silahap.insights.league import Entry
from silahap.insights.templatetags import insights_tables
from silahap.insights.templatetags.insights_tables import choice_widget, league_rows

# The loop league.html held before the body was written in one pass, kept as the reference.
LOOP = Template(
    """{% for entry in entries %}<tr data-testid="league-row">
  <td>{{ forloop.counter }}</td>
  <th scope="row"><a href="{% url 'insights:unit' entry.unit.pk %}?p={{ period.param }}" data-testid="drill-unit">{{ entry.unit.name }}</a></th>
  <td>{{ entry.parent_name }}</td><td>{{ entry.value|default_if_none:"—" }}</td><td>{{ entry.officers }}</td><td>{{ entry.foreigners }}</td>
  <td><strong>{{ entry.shown|default_if_none:"—" }}</strong></td>
  <td>{{ entry.spark_svg }}<span class="visually-hidden">{{ entry.spark|join:", " }}</span></td></tr>
{% endfor %}"""  # noqa: E501
)


class Period:
    param = "2026-Q1&<x>"


def _entries() -> list[Entry]:
    return [
        Entry(
            unit=OrgUnit(pk=41, name='Kanim <script>alert("x")</script> & Co'),
            parent_name="Kanwil 'Banten' <b>",
            value=1234.5,
            officers=8,
            foreigners=12345,
            shown=154.31,
            spark=[0, 3, 2.5, None, 12],
        ),
        Entry(
            unit=OrgUnit(pk=7, name="Kanim Denpasar"),
            parent_name="",
            value=None,
            officers=0,
            foreigners=0,
            shown=None,
            spark=[],
        ),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_rows_are_the_template_loops_rows_escaped_and_localised(language):
    entries = _entries()
    with translation.override(language):
        expected = LOOP.render(Context({"entries": entries, "period": Period()}))
        written = league_rows(entries, Period.param)
    assert written == expected
    assert "<script>" not in written
    assert "&lt;script&gt;" in written
    if language == "id":
        assert "1234,5" in written  # the decimal comma, as the template localised it


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_choice_widget_written_once_is_the_widget_django_writes(language):
    today = datetime.date(2026, 12, 6)
    with translation.override(language):
        for name in ("metric", "level", "norm"):
            form = LeagueForm({"p": "2026"}, today=today)
            for value, _label in [("", ""), *form.fields[name].choices]:
                form = LeagueForm({"p": "2026", name: value}, today=today)
                assert form.is_valid()
                expected = str(form[name])
                assert choice_widget(form[name]) == expected
                assert choice_widget(form[name]) == expected  # the kept one
                if value:
                    assert f'value="{value}" selected' in expected
        kept = len(insights_tables._WIDGETS)
        # Not one of the choices: written as usual (with the field's error), never kept.
        form = LeagueForm({"p": "2026", "norm": "<b>x</b>"}, today=today)
        assert not form.is_valid()
        assert choice_widget(form["norm"]) == str(form["norm"])
        assert "<b>" not in choice_widget(form["norm"])
        assert len(insights_tables._WIDGETS) == kept
    with translation.override("en" if language == "id" else "id"):
        other = LeagueForm({"p": "2026", "level": "region"}, today=today)
        assert other.is_valid()
        assert choice_widget(other["level"]) == str(other["level"])
