"""The site's scripts build the page from text: a string reaches an HTML or navigation sink only
where the line was reviewed (the browser test test_stored_markup_browser proves the outcome)."""

import re
from pathlib import Path

from django.conf import settings

SCRIPTS = Path(settings.BASE_DIR) / "static" / "js"

# What parses a string as HTML, runs it, or navigates to it. Leaflet's tooltips and popups take
# a string as HTML: they get SiLAHAP.textElement(...).
SINK = re.compile(
    r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|\.html\(|\beval\(|new Function"
    r"|\b(bindTooltip|bindPopup|setContent|setTooltipContent|setPopupContent)\((?!SiLAHAP\.textElement\()"
    r"|\.(href|src|action)\s*=|location\s*=|location\.(assign|replace)\(|window\.open\("
)

# Each with why it is safe; a new sink fails the test until it is reviewed and listed here.
REVIEWED = {
    # HTML rendered by the site's own escaping templates, parsed inert, only from a 200.
    ("silahap.js", "template.innerHTML = html;"),
    ("board.js", "template.innerHTML = html.trim();"),
    # The site's own whole page answering the form's POST, as a navigation would show it.
    ("outbox.js", "document.open(); document.write(html); document.close();"),
    # The site's own form page answering a queued POST with 422 (its errors beside the fields),
    # shown as an online submit shows it: only that status, only HTML of the site's templates.
    ("outbox.js", "document.open(); document.write(refused); document.close();"),
    # The MRZ band the site's reader cropped: only a base64 JPEG data: URL, an inert image.
    (
        "mrz_photo.js",
        r"if (/^data:image\/jpeg;base64,[A-Za-z0-9+\/=]+$/.test(data.crop)) crop.src = data.crop;",
    ),
    # Targets that passed SiLAHAP.sameOriginUrl (no javascript:, no other site).
    ("outbox.js", "location.assign(next.href);"),
    # The insights map's list link: an element built with createElement and textContent (never a
    # string of HTML); its address is the page's own list URL (from the template) plus numbers.
    (
        "insights_map.js",
        ".bindPopup(listLink(cell.south, cell.west, cell.north, cell.east, cell.activities))",
    ),
    (
        "insights_map.js",
        ".setContent(listLink(box.getSouth(), box.getWest(), box.getNorth(), box.getEast(), "
        "event.layer.getChildCount()))",
    ),
    (
        "insights_map.js",
        'link.href = holder.dataset.list + "&south=" + south.toFixed(5) + "&west=" '
        "+ west.toFixed(5) +",
    ),
    (
        "place_near.js",
        'if (target) marker.on("click", function () { window.location.assign(target); });',
    ),
}


def sink_lines() -> set[tuple[str, str]]:
    found = set()
    for script in sorted(SCRIPTS.glob("*.js")):
        for line in script.read_text(encoding="utf-8").splitlines():
            if SINK.search(line):
                found.add((script.name, line.strip()))
    return found


def test_no_script_passes_a_string_to_an_html_or_navigation_sink_unreviewed():
    assert sink_lines() - REVIEWED == set()


def test_every_reviewed_sink_still_exists_so_the_list_does_not_rot():
    assert REVIEWED - sink_lines() == set()


def test_the_pattern_catches_the_shapes_it_is_for():
    for line in (
        "node.innerHTML = label;",
        "marker.bindTooltip(point.label);",
        "layer.bindPopup(`<b>${name}</b>`);",
        "list.insertAdjacentHTML('beforeend', row);",
        "link.href = data.url;",
        "window.location.href = place.url;",
    ):
        assert SINK.search(line), line
    assert not SINK.search('marker.bindTooltip(SiLAHAP.textElement("span", point.label));')
    assert not SINK.search("status.textContent = text;")
