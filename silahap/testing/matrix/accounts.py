"""Role × URL rows for the second factor; merged into url_matrix.MATRIX.

The suite's default SILAHAP_SECOND_FACTOR_ROLES is empty, so these rows describe ordinary access:
nobody owes a code, the code step sends everyone on, and nobody has an authenticator yet.
"""

from __future__ import annotations

from django.urls import reverse

from silahap.testing.url_matrix import Row, signed_in

# officer_a's account: seen by themself, their leaders, the analyst and their office's
# administrator; only the administrator may reset it.
RESET_SEES = {"officer_b": 404, "partner": 404}


def reset_url(people):
    return reverse("otp_device_reset", args=[people.officer_a.pk])


ROWS: dict[str, Row] = {
    "security": Row({"GET": signed_in(200), "POST": signed_in(405)}),
    # A code of the wrong shape: the form comes back with the problem beside it.
    "otp_enrol": Row(
        {"GET": signed_in(200), "POST": signed_in(422)},
        data={"POST": {"code": "12"}},
    ),
    # Nobody owes a code: the code step sends them on to where they were going.
    "otp_verify": Row(
        {"GET": signed_in(302), "POST": signed_in(302)},
        data={"POST": {"code": "123456"}},
    ),
    # No new codes to show, and no authenticator to make codes for: back to the security page.
    "otp_recovery_codes": Row({"GET": signed_in(302), "POST": signed_in(302)}),
    "otp_user_list": Row({"GET": signed_in(403, office_admin=200), "POST": signed_in(405)}),
    "otp_device_reset": Row(
        {
            "GET": signed_in(403, office_admin=200, **RESET_SEES),
            "POST": signed_in(403, office_admin=302, **RESET_SEES),
        },
        url_for=reset_url,
    ),
}
