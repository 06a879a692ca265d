"""Role × URL rows for the evaluation pages and exports; merged into url_matrix.MATRIX.

Officers see only themselves; leaders their subtree (leader_a leads section A); analysts their
region (analyst: Kanwil Banten); partners and office administrators nothing (404)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse

from silahap.insights.models import ExportJob
from silahap.testing.url_matrix import Row, signed_in

NOBODY_ELSE = {"partner": 404, "office_admin": 404}
# officer_a's own page and anything about officer_a or section A: the officer themself (for
# their page), leader_a above the team and the Kanwil's analyst; officer_b is another office.
ABOUT_A = {"officer_a": 404, "officer_b": 404, **NOBODY_ELSE}
GET_ONLY = signed_in(405)


def _officer(name, *args):
    return lambda people: reverse(name, args=[people.officer_a.pk, *args])


def _leader_a_export(name):
    """A finished export of leader_a's (made on first use): only its owner sees or downloads it."""

    def url(people):
        job = ExportJob.objects.filter(user=people.leader_a, kind="activities").first()
        if job is None:
            job = ExportJob(
                user=people.leader_a,
                unit=people.section_a,
                kind="activities",
                period="2025-03",
                status=ExportJob.Status.DONE,
                rows_done=0,
                rows_total=0,
            )
            job.file.save("silahap-matrix.xlsx", ContentFile(b"PK"), save=False)
            job.save()
        return reverse(name, args=[job.pk])

    return url


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
    "insights:map_list": Row(
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
    # Only the unit's own leader comments on its month (leader_a leads section A): the analyst
    # above may read the page but not comment.
    "insights:recap_comment": Row(
        {"GET": signed_in(405), "POST": signed_in(302, analyst=403, **ABOUT_A)},
        url_for=lambda people: (
            reverse("insights:recap_comment", args=[people.section_a.pk]) + "?p=2025-03"
        ),
        data={"POST": {"text": "Pengawasan bulan ini berjalan baik."}},
    ),
    "insights:unit_rows_xlsx": Row(
        {"GET": signed_in(405), "POST": signed_in(200, **ABOUT_A)},
        url_for=lambda people: (
            reverse("insights:unit_rows_xlsx", args=[people.section_a.pk, "activities"])
            + "?p=2025-03"
        ),
    ),
    "insights:export_job": Row(
        {"GET": signed_in(404, leader_a=200), "POST": GET_ONLY},
        url_for=_leader_a_export("insights:export_job"),
    ),
    "insights:export_progress": Row(
        {"GET": signed_in(404, leader_a=200), "POST": GET_ONLY},
        url_for=_leader_a_export("insights:export_progress"),
    ),
    "insights:export_download": Row(
        {"GET": signed_in(404, leader_a=200), "POST": GET_ONLY},
        url_for=_leader_a_export("insights:export_download"),
    ),
    "insights:unit_rows_csv": Row(
        {"GET": signed_in(200, **ABOUT_A), "POST": GET_ONLY},
        url_for=_section("insights:unit_rows_csv", "activities"),
    ),
}
