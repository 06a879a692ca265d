"""silahap.markup writes what the template syntax beside each helper writes: checked against
Django's own filters and tags, for every day of a year, both languages and several zones."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from silahap import markup

FORMATS = ["D, j M Y", "j M H:i", "d-m-Y", "D d-m", "Y-m-d", "H:i", "N j, Y", r"j \d\e M"]


def _days() -> list[datetime.date]:
    return [datetime.date(2026, 1, 1) + datetime.timedelta(days=n) for n in range(0, 366, 3)]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("format", FORMATS)
def test_dates_are_written_as_the_date_filter_writes_them(language, format):
    template = Template("{{ value|date:format }}")
    with translation.override(language):
        for day in _days():
            if "H" in format:
                continue
            expected = template.render(Context({"value": day, "format": format}))
            assert markup.date(day, format) == expected, (day, format)


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_times_are_written_in_the_current_zone_as_the_filters_write_them(language, zone):
    template = Template("{{ value|date:format }}|{{ value|time:'H:i' }}")
    with translation.override(language), timezone.override(zone):
        for day in _days():
            value = datetime.datetime.combine(day, datetime.time(17, 5), tzinfo=datetime.UTC)
            for format in FORMATS:
                expected = template.render(Context({"value": value, "format": format}))
                assert f"{markup.date(value, format)}|{markup.time(value, 'H:i')}" == expected


@pytest.mark.parametrize("language", ["id", "en"])
def test_text_and_messages_are_escaped_and_localised_as_in_a_template(language):
    values = {"a": "<script>\"x\" & 'y'</script>", "b": 1234.5, "c": None, "d": 7}
    template = Template(
        "{% load i18n %}{{ a }}|{{ b }}|{{ c }}|{% translate 'Late' %}|"
        "{% blocktranslate count n=d %}{{ n }} activity{% plural %}{{ n }} activities"
        "{% endblocktranslate %}|{% blocktranslate with number=b %}version {{ number }}"
        "{% endblocktranslate %}"
    )
    with translation.override(language):
        expected = template.render(Context(values))
        written = "|".join(
            [
                markup.text(values["a"]),
                markup.text(values["b"]),
                markup.text(values["c"]),
                markup.translate("Late"),
                markup.count("%(n)s activity", "%(n)s activities", values["d"]),
                markup.blocktranslate("version %(number)s", number=values["b"]),
            ]
        )
    assert written == expected
    assert "<script>" not in written
