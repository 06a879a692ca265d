"""The evaluation pages' linked table bodies (metrics, child units, officers) and the league
table's body, written in one pass: the markup their template loops gave, every text escaped and
every number localised as the templates localise them, without a template variable lookup per
cell (the tables were half the league's time and a third of the national page's)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from django import template
from django.forms import BoundField
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString

from silahap import markup
from silahap.insights.evaluation import Table
from silahap.insights.league import Entry

register = template.Library()


def _text(value: object, blank: str) -> str:
    return blank if value is None else markup.text(value)


def _rows(
    table: Table, *, href: Callable[[object], str], row: Callable[[object], str], link: str, blank
) -> SafeString:
    return markup.written(
        f"<tr {row(key)}>\n"
        f'  <th scope="row"><a href="{href(key)}"{link}>{_text(cells[0], "None")}</a></th>\n'
        "  " + "".join(f"<td>{_text(cell, blank)}</td>" for cell in cells[1:]) + "</tr>"
        for key, cells in table.linked()
    )


def _by_id(name: str, period_param: str) -> Callable[[object], str]:
    url = markup.url_by_id(name)
    query = escape(f"?p={period_param}")
    return lambda pk: url(pk) + query


@register.simple_tag
def metric_rows(table: Table) -> SafeString:
    help_url = escape(reverse("insights:metric_help"))
    return _rows(
        table,
        href=lambda key: f"{help_url}#{escape(str(key))}",
        row=lambda key: f'data-metric="{escape(str(key))}"',
        link="",
        blank="—",
    )


def _drill_rows(table: Table, url_name: str, period_param: str, name: str) -> SafeString:
    return _rows(
        table,
        href=_by_id(f"insights:{url_name}", period_param),
        row=lambda _key: f'data-testid="{name}-row"',
        link=f' data-testid="drill-{url_name}"',
        blank="None",
    )


@register.simple_tag
def unit_rows(table: Table, period_param: str) -> SafeString:
    return _drill_rows(table, "unit", period_param, "child")


@register.simple_tag
def officer_rows(table: Table, period_param: str) -> SafeString:
    return _drill_rows(table, "officer", period_param, "member")


@register.simple_tag
def plain_rows(table: Table) -> SafeString:
    """A table body whose first cell heads each row (the twelve months of the trend)."""
    return markup.written(
        f'<tr><th scope="row">{_text(cells[0], "None")}</th>'
        + "".join(f"<td>{_text(cell, 'None')}</td>" for cell in cells[1:])
        + "</tr>"
        for cells in table.rows
    )


@register.simple_tag
def league_rows(entries: list[Entry], period_param: str) -> SafeString:
    """The league's body: rank, office (drilling down), the office above, value, officers,
    foreigners, the shown figure and the sparkline with its numbers for screen readers."""
    href = _by_id("insights:unit", period_param)
    return markup.written(
        '<tr data-testid="league-row">\n'
        f"  <td>{_text(rank, '')}</td>\n"
        f'  <th scope="row"><a href="{href(entry.unit.pk)}" data-testid="drill-unit">'
        f"{_text(entry.unit.name, '')}</a></th>\n"
        f"  <td>{_text(entry.parent_name, '')}</td><td>{_text(entry.value, '—')}</td>"
        f"<td>{_text(entry.officers, '')}</td><td>{_text(entry.foreigners, '')}</td>\n"
        f"  <td><strong>{_text(entry.shown, '—')}</strong></td>\n"
        f'  <td>{entry.spark_svg}<span class="visually-hidden">'
        f"{escape(', '.join(str(value) for value in entry.spark))}</span></td></tr>\n"
        for rank, entry in enumerate(entries, start=1)
    )


# A choice field's widget as Django wrote it, by language, form, field and chosen value.
_WIDGETS: dict[tuple, SafeString] = {}


@register.simple_tag
def choice_widget(field: BoundField) -> SafeString:
    """`{{ field }}` of a choice field with fixed choices, written once per language, form,
    field and chosen value, then reused: the league's three selects went through Django's
    widget templates (one include per option) on every page. A value that is not one of the
    choices, or a field with errors, is written as usual and not kept."""
    value = field.value()
    if field.errors or (
        value not in (None, "")
        and str(value)
        not in {str(choice) for choice, _label in getattr(field.field, "choices", ())}
    ):
        return SafeString(str(field))
    key = (
        translation.get_language(),
        type(field.form),
        field.html_name,
        field.auto_id,
        None if value is None else str(value),
    )
    found = _WIDGETS.get(key)
    if found is None:
        found = _WIDGETS[key] = SafeString(str(field))
    return found
