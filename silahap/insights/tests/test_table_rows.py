"""The evaluation pages' linked table bodies written in Python give the markup their template
loops gave: the loops are kept here as the reference and rendered beside them."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from silahap.insights.evaluation import Table

OLD = {
    "metric": """{% for key, row in metric_table.linked %}<tr data-metric="{{ key }}">
  <th scope="row"><a href="{% url 'insights:metric_help' %}#{{ key }}">{{ row.0 }}</a></th>
  {% for cell in row|slice:"1:" %}<td>{{ cell|default_if_none:"—" }}</td>{% endfor %}</tr>{% endfor %}""",  # noqa: E501
    "unit": """{% for pk, row in children.linked %}<tr data-testid="child-row">
  <th scope="row"><a href="{% url 'insights:unit' pk %}?p={{ period.param }}" data-testid="drill-unit">{{ row.0 }}</a></th>
  {% for cell in row|slice:"1:" %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}""",  # noqa: E501
    "officer": """{% for pk, row in members.linked %}<tr data-testid="member-row">
  <th scope="row"><a href="{% url 'insights:officer' pk %}?p={{ period.param }}" data-testid="drill-officer">{{ row.0 }}</a></th>
  {% for cell in row|slice:"1:" %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}""",  # noqa: E501
    "plain": """{% for row in trend.rows %}<tr>{% for cell in row %}{% if forloop.first %}<th scope="row">{{ cell }}</th>{% else %}<td>{{ cell }}</td>{% endif %}{% endfor %}</tr>{% endfor %}""",  # noqa: E501
}
NEW = {
    "metric": "{% load insights_tables %}{% metric_rows metric_table %}",
    "unit": "{% load insights_tables %}{% unit_rows children period.param %}",
    "officer": "{% load insights_tables %}{% officer_rows members period.param %}",
    "plain": "{% load insights_tables %}{% plain_rows trend %}",
}


class Period:
    param = "2026-03&x=<y>"


def _table(links) -> Table:
    return Table(
        name="t",
        title="T",
        headers=["a", "b", "c", "d"],
        rows=[
            ['Kanim <script>alert("x")</script> & Co', 1234.5, None, 12],
            ["Petugas 'O\"Brien'", 0, 7.25, None],
            [None, -3, 1000000, "+12%"],
        ],
        links=links,
    )


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("kind", ["metric", "unit", "officer", "plain"])
def test_a_body_written_in_one_pass_is_the_loops_body(kind, language):
    links = ["reports_due", 'a"b<c', "x y"] if kind == "metric" else [41, 7, 123456]
    table = _table(links)
    context = {
        "metric_table": table,
        "children": table,
        "members": table,
        "trend": table,
        "period": Period(),
    }
    with translation.override(language):
        expected = Template(OLD[kind]).render(Context(context))
        written = Template(NEW[kind]).render(Context(context))
    assert written == expected
    assert "<script>" not in written
    assert written.count("<tr") == 3
