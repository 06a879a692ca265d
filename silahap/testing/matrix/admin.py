"""Role × URL rows for the admin site's add and change forms, with hostile values; merged into
url_matrix.MATRIX. Only administrators reach the admin (everyone else is sent to its login, 302).

HOSTILE lists each attack from issue 23 with what must still be true after it: the walker in
test_url_matrix posts it as the office administrator and checks the state, not only the status.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from silahap.accounts.models import Membership, User
from silahap.reports.models import DailyReport
from silahap.supervision.services import absence_record
from silahap.testing.url_matrix import Row, everyone, field_activity

PASSWORD = "Kata-Sandi-Baru-2026"
DAY = datetime.date(2026, 1, 5).isoformat()


def admin_only(status: int, **exceptions: int) -> dict[str, int]:
    return everyone(302, office_admin=status, **exceptions)


def membership_of(name):
    def url(people):
        membership = Membership.objects.filter(user=getattr(people, name)).first()
        return reverse("admin:accounts_membership_change", args=[membership.pk])

    return url


def user_url(route, name):
    return lambda people: reverse(route, args=[getattr(people, name).pk])


def absence_url(people):
    if not hasattr(people, "_absence"):
        people._absence = absence_record(
            by=people.leader_a,
            user=people.officer_a,
            kind="sick",
            start_date=datetime.date(2026, 1, 5),
            end_date=datetime.date(2026, 1, 5),
        )
    return reverse("admin:supervision_absence_change", args=[people._absence.pk])


def report_on_site(people):
    content_type = ContentType.objects.get_for_model(DailyReport)
    return reverse("admin:view_on_site", args=[content_type.pk, field_activity(people).report_id])


def grant(people, user: str, unit: str, role: str) -> dict:
    return {
        "user": getattr(people, user).pk,
        "unit": getattr(people, unit).pk,
        "role": role,
        "start_date": DAY,
    }


def set_password_form() -> dict:
    return {"set_usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}


def absence(people, user: str) -> dict:
    return {"user": getattr(people, user).pk, "kind": "leave", "start_date": DAY, "end_date": DAY}


ROWS: dict[str, Row] = {
    # Self-grant as analyst at the Directorate General: refused with the reason beside the form.
    "admin:accounts_membership_add": Row(
        {"GET": admin_only(200), "POST": admin_only(422)},
        data={"POST": lambda people: grant(people, "office_admin", "dg", "analyst")},
    ),
    # officer_a's membership moved to a Denpasar unit as leader: refused.
    "admin:accounts_membership_change": Row(
        {"GET": admin_only(200), "POST": admin_only(422)},
        url_for=membership_of("officer_a"),
        data={
            "POST": lambda people: {
                "unit": people.section_b.pk,
                "role": "leader",
                "start_date": DAY,
            }
        },
    ),
    # A new account asking for superuser and staff flags: created, without them.
    "admin:accounts_user_add": Row(
        {"GET": admin_only(200), "POST": admin_only(302)},
        data={
            "POST": {
                "username": "petugas.matrix",
                "full_name": "Petugas Matrix",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "usable_password": "true",
                "is_superuser": "on",
                "is_staff": "on",
            }
        },
    ),
    # The head of office's sign-in email and flags: the form keeps them read-only.
    "admin:accounts_user_change": Row(
        {"GET": admin_only(200), "POST": admin_only(302)},
        url_for=user_url("admin:accounts_user_change", "head_a"),
        data={
            "POST": {
                "username": "head_a",
                "full_name": "Head A",
                "email": "admin.tng@example.org",
                "is_superuser": "on",
                "is_staff": "on",
            }
        },
    ),
    # The head of office's password: refused, with a reset link to their own email offered.
    "admin:auth_user_password_change": Row(
        {"GET": admin_only(403), "POST": admin_only(403)},
        url_for=user_url("admin:auth_user_password_change", "head_a"),
        data={
            "POST": {"set_usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}
        },
    ),
    # A reset link for the head of office, who has no email address: told so, back to the form.
    "admin:accounts_user_password_reset": Row(
        {"GET": admin_only(405), "POST": admin_only(302)},
        url_for=user_url("admin:accounts_user_password_reset", "head_a"),
    ),
    # An absence for another office's officer: not among the people the form accepts.
    "admin:supervision_absence_add": Row(
        {"GET": admin_only(200), "POST": admin_only(422)},
        data={"POST": lambda people: absence(people, "officer_b")},
    ),
    # A recorded absence is shown, not changed, to an office administrator.
    "admin:supervision_absence_change": Row(
        {"GET": admin_only(200), "POST": admin_only(403)},
        url_for=absence_url,
        data={"POST": lambda people: absence(people, "officer_b")},
    ),
    # officer_a's report, which an administrator may not read: 404 like a missing one.
    "admin:view_on_site": Row({"GET": admin_only(404)}, url_for=report_on_site),
    # A reset link's page: an unknown or used link says so, to anyone.
    "password_reset_confirm": Row(
        {"GET": everyone(200), "POST": everyone(200)},
        url_for=lambda people: reverse(
            "password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}
        ),
        data={"POST": {"new_password1": PASSWORD, "new_password2": PASSWORD}},
    ),
    "password_reset_complete": Row({"GET": everyone(200), "POST": everyone(405)}),
}


@dataclass
class Attack:
    """A hostile admin POST by the office administrator and what must still hold after it."""

    name: str
    url_for: Callable
    data: Callable
    statuses: tuple[int, ...]
    holds: Callable


def _roles(people, user: str) -> set[tuple[str, str]]:
    return set(
        Membership.objects.filter(user=getattr(people, user)).values_list("unit__code", "role")
    )


def _reads_nothing(people) -> bool:
    admin = User.objects.get(pk=people.office_admin.pk)
    return not DailyReport.objects.visible_to(admin).exists()


ADD = "/admin/accounts/membership/add/"

HOSTILE: list[Attack] = [
    Attack(
        "admin.tng makes itself analyst at the Directorate General",
        lambda people: ADD,
        lambda people: grant(people, "office_admin", "dg", "analyst"),
        (422,),
        lambda people: (
            _roles(people, "office_admin") == {("KI-TNG", "admin")} and _reads_nothing(people)
        ),
    ),
    Attack(
        "admin.tng makes itself leader of its own office",
        lambda people: ADD,
        lambda people: grant(people, "office_admin", "office_a", "leader"),
        (422,),
        lambda people: (
            _roles(people, "office_admin") == {("KI-TNG", "admin")} and _reads_nothing(people)
        ),
    ),
    Attack(
        "petugas.tng12 as leader of a Denpasar unit",
        lambda people: ADD,
        lambda people: grant(people, "officer_a", "section_b", "leader"),
        (422,),
        lambda people: _roles(people, "officer_a") == {("KI-TNG-TIM1", "officer")},
    ),
    Attack(
        "petugas.dps3, another office's officer, as leader in Tangerang",
        lambda people: ADD,
        lambda people: grant(people, "officer_b", "section_a", "leader"),
        (422,),
        lambda people: _roles(people, "officer_b") == {("KI-DPS-INTEL", "officer")},
    ),
    Attack(
        "the partner as analyst at the regional office",
        lambda people: ADD,
        lambda people: grant(people, "partner", "kanwil_banten", "analyst"),
        (422,),
        lambda people: _roles(people, "partner") == {("KI-TNG", "partner")},
    ),
    Attack(
        "admin.tng sets the password of kakanim.tng",
        lambda people: reverse("admin:auth_user_password_change", args=[people.head_a.pk]),
        lambda people: {
            "set_usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        (403,),
        lambda people: not _user(people, "head_a").check_password(PASSWORD),
    ),
    Attack(
        "admin.tng sets the password of another office's leader",
        lambda people: reverse("admin:auth_user_password_change", args=[people.leader_b.pk]),
        lambda people: {
            "set_usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        (404,),
        lambda people: not _user(people, "leader_b").check_password(PASSWORD),
    ),
    Attack(
        "admin.tng points kakanim.tng's email at itself and makes it superuser",
        lambda people: reverse("admin:accounts_user_change", args=[people.head_a.pk]),
        lambda people: {
            "username": "head_a",
            "full_name": "Head A",
            "email": "admin.tng@example.org",
            "is_superuser": "on",
            "is_staff": "on",
        },
        (302,),
        lambda people: (
            _user(people, "head_a").email == ""
            and not _user(people, "head_a").is_superuser
            and not _user(people, "head_a").is_staff
        ),
    ),
    Attack(
        "admin.tng makes petugas.tng12 superuser",
        lambda people: reverse("admin:accounts_user_change", args=[people.officer_a.pk]),
        lambda people: {
            "username": "officer_a",
            "full_name": "Officer A",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
        },
        (302,),
        lambda people: (
            not _user(people, "officer_a").is_superuser and not _user(people, "officer_a").is_staff
        ),
    ),
    Attack(
        "an absence for petugas.dps2, another office's officer",
        lambda people: "/admin/supervision/absence/add/",
        lambda people: absence(people, "officer_b"),
        (422,),
        lambda people: not people.officer_b.absences.exists(),
    ),
]


def _user(people, name: str):
    return User.objects.get(pk=getattr(people, name).pk)
