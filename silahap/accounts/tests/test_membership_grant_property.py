"""Property: whatever an administrator attempts in the admin (a new membership by the form or the
service, or a change to an existing one), the reports the target can read afterwards are among
those they could read before together with those in the subtree the administrator may grant, and
the administrator's own readable reports never grow."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from silahap.accounts import access, services
from silahap.accounts.models import Membership, User
from silahap.registry.models import Regency
from silahap.registry.services import place_create
from silahap.reports.models import DailyReport
from silahap.reports.services import activity_create

ROLES = [role.value for role in Membership.Role]
UNITS = ["dg", "kanwil_banten", "office_a", "section_a", "team_a", "kanwil_bali", "office_b"]
UNITS += ["section_b"]
PERSONAS = ["officer_a", "officer_a2", "leader_a", "head_a", "officer_b", "leader_b", "analyst"]
PERSONAS += ["analyst_national", "partner", "office_admin"]
EXTRA = ["admin_b", "admin_a2", "proxy", "mailbox", "newcomer"]
ADMINISTRATORS = ["office_admin", "admin_b", "admin_a2"]
CHANNELS = ["service", "form", "change"]


def report_by(officer, regency_code: str) -> DailyReport:
    place = place_create(
        by=officer,
        name=f"Hotel {officer.username}",
        kind="hotel",
        regency=Regency.objects.get(code=regency_code),
    )
    return activity_create(
        by=officer,
        client_id=uuid.uuid4(),
        kind="field",
        source="independent",
        started_at=timezone.now() - datetime.timedelta(minutes=30),
        place=place,
    ).report


def account(username: str, *, by=None, password=None) -> User:
    return services.user_create(by=by, username=username, full_name=username, password=password)


@pytest.fixture
def cast(people):
    """The personas, two more administrators, accounts whose password or email admin.tng chose
    (would-be proxies) and an account without any membership; reports in both offices."""
    people.admin_b = account("admin_b")
    services.membership_create(by=None, user=people.admin_b, unit=people.office_b, role="admin")
    people.admin_a2 = account("admin_a2")
    services.membership_create(by=None, user=people.admin_a2, unit=people.section_a, role="admin")
    people.proxy = account("proxy", by=people.office_admin, password="Sandi-Proxy-Rahasia-2026")
    services.membership_create(
        by=people.office_admin, user=people.proxy, unit=people.team_a, role="officer"
    )
    # An officer whose email admin.tng typed: reset links for it reach admin.tng.
    people.mailbox = account("mailbox")
    services.membership_create(by=None, user=people.mailbox, unit=people.team_a, role="officer")
    services.user_update(by=people.office_admin, user=people.mailbox, email="tng@example.org")
    people.newcomer = account("newcomer")
    for officer, regency in [
        (people.officer_a, "36.71"),
        (people.officer_a2, "36.71"),
        (people.officer_b, "51.71"),
        (people.proxy, "36.71"),
    ]:
        report_by(officer, regency)
    return people


def readable(user_pk: int) -> set[int]:
    user = User.objects.get(pk=user_pk)  # fresh: no cached memberships
    return set(DailyReport.objects.visible_to(user).values_list("pk", flat=True))


def grantable(admin_pk: int) -> set[int]:
    admin = User.objects.get(pk=admin_pk)
    scopes = access.administered_units(admin)
    return set(DailyReport.objects.filter(access.subtree_q(scopes)).values_list("pk", flat=True))


def outside_scope(admin_pk: int, target_pk: int) -> bool:
    scopes = access.administered_units(User.objects.get(pk=admin_pk))
    standing = Membership.objects.standing().filter(user_id=target_pk)
    return standing.exclude(access.subtree_q(scopes)).exists()


def attempt(client, channel, admin, target, unit, role, today) -> None:
    if channel == "form":
        client.force_login(admin)
        client.post(
            "/admin/accounts/membership/add/",
            {"user": target.pk, "unit": unit.pk, "role": role, "start_date": today.isoformat()},
        )
        return
    try:
        existing = Membership.objects.filter(user=target).first()
        if channel == "change" and existing is not None:
            services.membership_update(
                by=admin,
                membership=existing,
                unit=unit,
                role=role,
                start_date=existing.start_date,
                is_acting=False,
            )
        else:
            services.membership_create(
                by=admin, user=target, unit=unit, role=role, start_date=today
            )
    except (PermissionDenied, ValidationError):
        pass


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    admin_name=st.sampled_from(ADMINISTRATORS),
    # Weighted towards the attacks: the administrator itself, the proxy, reading roles.
    target_name=st.one_of(
        st.sampled_from(["self", "proxy", "mailbox"]), st.sampled_from(PERSONAS + EXTRA)
    ),
    unit_name=st.sampled_from(UNITS),
    role=st.one_of(st.sampled_from(["leader", "analyst"]), st.sampled_from(ROLES)),
    channel=st.sampled_from(CHANNELS),
)
def test_an_administrator_never_widens_reading_beyond_what_it_may_grant(
    client, cast, admin_name, target_name, unit_name, role, channel
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    admin = getattr(cast, admin_name)
    target = admin if target_name == "self" else getattr(cast, target_name)
    unit = getattr(cast, unit_name)
    today = timezone.localdate()
    with transaction.atomic():
        target_before, admin_before = readable(target.pk), readable(admin.pk)
        may_grant = grantable(admin.pk)
        outsider = outside_scope(admin.pk, target.pk)
        attempt(client, channel, User.objects.get(pk=admin.pk), target, unit, role, today)
        target_after, admin_after = readable(target.pk), readable(admin.pk)
        transaction.set_rollback(True)
    assert target_after <= target_before | may_grant
    assert admin_after <= admin_before
    if outsider:
        # Someone with a membership beyond the administrator's office is theirs to change.
        assert target_after == target_before
    if target_name == "proxy" and role in ("leader", "analyst", "admin"):
        # admin.tng chose the proxy's password: no administrator may make it a reader.
        assert target_after <= target_before
    if target_name == "mailbox" and admin_name == "office_admin":
        assert target_after <= target_before
