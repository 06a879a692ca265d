"""The league table's body written in Python gives the markup the template's loop gave."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from silahap.accounts.models import OrgUnit
from silahap.insights.league import Entry
from silahap.insights.templatetags.insights_tables import league_rows

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
