"""Role × URL rows for the evaluation pages and exports; merged into url_matrix.MATRIX.

Officers see only themselves; leaders their subtree (leader_a leads section A); analysts their
region (analyst: Kanwil Banten); partners and office administrators nothing (404)."""

from __future__ import annotations

from django.urls import reverse

from silahap.testing.url_matrix import Row, signed_in

NOBODY_ELSE = {"partner": 404, "office_admin": 404}
# officer_a's own page and anything about officer_a or section A: the officer themself (for
# their page), leader_a above the team and the Kanwil's analyst; officer_b is another office.
ABOUT_A = {"officer_a": 404, "officer_b": 404, **NOBODY_ELSE}
GET_ONLY = signed_in(405)


def _officer(name, *args):
    return lambda people: reverse(name, args=[people.officer_a.pk, *args])


def _section(name, *args):
    return lambda people: reverse(name, args=[people.section_a.pk, *args])


ROWS: dict[str, Row] = {
    "insights:index": Row({"GET": signed_in(302, **NOBODY_ELSE), "POST": GET_ONLY}),
    "insights:me": Row({"GET": signed_in(200, analyst=404, **NOBODY_ELSE), "POST": GET_ONLY}),
    "insights:metric_help": Row({"GET": signed_in(200, **NOBODY_ELSE), "POST": GET_ONLY}),
    "insights:league": Row(
        {"GET": signed_in(200, officer_a=404, officer_b=404, **NOBODY_ELSE), "POST": GET_ONLY}
    ),
    "insights:map": Row(
        {"GET": signed_in(200, officer_a=404, officer_b=404, **NOBODY_ELSE), "POST": GET_ONLY}
    ),
    "insights:map_feed": Row(
        {"GET": signed_in(200, officer_a=404, officer_b=404, **NOBODY_ELSE), "POST": GET_ONLY}
    ),
    "insights:officer": Row(
        {"GET": signed_in(200, officer_b=404, **NOBODY_ELSE), "POST": GET_ONLY},
        url_for=_officer("insights:officer"),
    ),
    "insights:officer_export": Row(
        {"GET": signed_in(200, officer_b=404, **NOBODY_ELSE), "POST": GET_ONLY},
        url_for=_officer("insights:officer_export", "csv"),
    ),
    "insights:unit": Row(
        {"GET": signed_in(200, **ABOUT_A), "POST": GET_ONLY},
        url_for=_section("insights:unit"),
    ),
    "insights:unit_export": Row(
        {"GET": signed_in(200, **ABOUT_A), "POST": GET_ONLY},
        url_for=_section("insights:unit_export", "metrics", "xlsx"),
    ),
    "insights:unit_recap_pdf": Row(
        {"GET": signed_in(200, **ABOUT_A), "POST": GET_ONLY},
        url_for=lambda people: (
            reverse("insights:unit_recap_pdf", args=[people.section_a.pk]) + "?p=2025-03"
        ),
    ),
    "insights:unit_rows_csv": Row(
        {"GET": signed_in(200, **ABOUT_A), "POST": GET_ONLY},
        url_for=_section("insights:unit_rows_csv", "activities"),
    ),
}
