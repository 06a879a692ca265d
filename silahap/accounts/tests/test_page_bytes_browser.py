"""The bytes a phone receives for each page, as Chromium counts them (encodedDataLength: what
came over the wire, headers included; nothing for what it took from its cache), served the way
`make run` and production serve: pages gzipped, static files collected with hashed names and
compressed copies by WhiteNoise (issue "Field reporting III", item 2).

The first page after login may bring the shared files (≤ 120 KB); every later page ≤ 50 KB; the
first page that shows a map may add the map library once (≤ 60 KB more), no page without a map
loads it, and a later map page takes it from the cache (the Django admin's own files likewise,
once, on an administrator's first admin page). The suite walks the officer's pages;
`make bench` (SILAHAP_BENCH=1) walks every role's and writes var/bench/page_bytes.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from silahap.testing.axe import ROLES, is_page, log_in, pages_for
from silahap.testing.url_matrix import MATRIX
from silahap.testing.wire import Wire

# What this drives is the page in the browser, the same on either database (the services under it
# are tested on both): it runs once, on SQLite (issue 14, a suite half as long).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.one_database("sqlite"),
]

BENCH = os.environ.get("SILAHAP_BENCH") == "1"
FIRST_PAGE, LATER_PAGE, MAP_LIBRARY = 120_000, 50_000, 60_000
# The suite's small twin: the officer's field screens, a map page among them, and the registry.
TWIN = [
    "reports:today",
    "reports:activity_create",
    "reports:report_detail",
    "reports:activity_detail",
    "reports:my_reports",
    "supervision:my_tasks",
    "registry:index",
]


def walk(page, base_url: str, people, persona: str, names: list[str]) -> list[dict]:
    wire = Wire(page)
    log_in(page, base_url, getattr(people, persona).username)
    page.wait_for_load_state("networkidle")
    # Cold: the login page, its POST and the first page after login, with the shared files.
    total, fetched = wire.take()
    figures = [{"page": "login + first page", "bytes": total, "map": False, "library": False}]
    for name in names:
        url = MATRIX[name].url(people) if name in MATRIX else reverse(name)
        if not is_page(page.request.get(base_url + url)):
            continue
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
        total, fetched = wire.take()
        has_map = page.locator(".leaflet-container").count() > 0
        library = any("/leaflet" in url for url in fetched)
        admin_files = any("/static/admin/" in url for url in fetched)
        figures.append(
            {
                "page": url,
                "bytes": total,
                "map": has_map,
                "library": library,
                "admin_files": admin_files,
            }
        )
    return figures


def budget_problems(figures: list[dict]) -> list[str]:
    problems, library_loaded, admin_loaded = [], False, False
    first, *later = figures
    if first["bytes"] > FIRST_PAGE:
        problems.append(f"{first['page']}: {first['bytes']} B > {FIRST_PAGE}")
    for figure in later:
        limit = LATER_PAGE
        if figure["library"]:
            if library_loaded:
                problems.append(f"{figure['page']}: the map library again, not from the cache")
            if not figure["map"]:
                problems.append(f"{figure['page']}: the map library on a page without a map")
            library_loaded = True
            limit += MAP_LIBRARY
        if figure.get("admin_files") and not admin_loaded:
            # The Django admin's own scripts and styles (jQuery among them), like the map
            # library: its first page may bring them; a later admin page adds only its own few
            # and keeps the ordinary limit.
            admin_loaded = True
            limit += MAP_LIBRARY
        if figure["bytes"] > limit:
            problems.append(f"{figure['page']}: {figure['bytes']} B > {limit}")
    return problems


def test_each_page_fits_its_byte_budget_on_a_phone(served, people, browser):
    results, problems = {}, []
    for persona in ROLES if BENCH else ["officer_a"]:
        # The service worker blocked: it would answer from its cache and hide the wire.
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, service_workers="block"
        )
        page = context.new_page()
        figures = walk(page, served, people, persona, pages_for(persona) if BENCH else TWIN)
        context.close()
        results[persona] = figures
        problems += [f"{persona} {line}" for line in budget_problems(figures)]
        for figure in figures:
            print(f"page bytes {persona:12} {figure['bytes']:>8} {figure['page']}")
    if BENCH:
        out = Path(django_settings.BASE_DIR) / "var" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        summary = {
            persona: {
                "login_and_first_page": figures[0]["bytes"],
                "largest_later_page": max((f["bytes"] for f in figures[1:]), default=0),
                "pages": {f["page"]: f["bytes"] for f in figures},
            }
            for persona, figures in results.items()
        }
        (out / "page_bytes.json").write_text(json.dumps(summary, indent=1))
    assert problems == []
    # Something was measured: the shared files came with the first page, not later.
    assert results["officer_a"][0]["bytes"] > 10_000
    assert max(figure["bytes"] for figure in results["officer_a"][1:]) > 1_000
