import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from silahap.accounts import access
from silahap.accounts import services as accounts
from silahap.accounts.models import Membership, OrgUnit, User


@pytest.mark.django_db
def test_subtree_is_one_prefix_query(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = set(OrgUnit.objects.subtree_of(people.office_a).values_list("code", flat=True))
    assert codes == {"KI-TNG", "KI-TNG-INTEL", "KI-TNG-TIM1"}


@pytest.mark.django_db
def test_units_know_their_office_and_zone(people):
    assert people.team_a.office == people.office_a
    assert people.section_b.office == people.office_b
    assert people.section_b.timezone == "Asia/Makassar"
    assert people.kanwil_banten.office is None


@pytest.mark.django_db
def test_leaders_lead_their_unit_and_below_only(people):
    assert access.leads(people.leader_a, people.team_a)
    assert access.leads(people.leader_a, people.section_a)
    assert not access.leads(people.leader_a, people.office_a)
    assert access.leads(people.head_a, people.team_a)
    assert not access.leads(people.leader_a, people.section_b)
    assert not access.leads(people.officer_a, people.team_a)
    assert not access.leads(people.analyst, people.team_a)


@pytest.mark.django_db
def test_an_ended_membership_gives_no_access(people):
    membership = Membership.objects.get(user=people.leader_a)
    accounts.membership_end(by=None, membership=membership, end_date=datetime.date(2024, 6, 30))
    people.leader_a.refresh_from_db()
    assert not access.leads(people.leader_a, people.team_a)
    assert access.primary_role(people.leader_a) is None


@pytest.mark.django_db
def test_an_acting_leader_leads_while_the_membership_is_current(people):
    today = timezone.localdate()
    accounts.membership_create(
        by=None,
        user=people.officer_a2,
        unit=people.section_a,
        role="leader",
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=5),
        is_acting=True,
    )
    assert access.leads(people.officer_a2, people.team_a)
    later = today + datetime.timedelta(days=6)
    assert not any(
        m.role == "leader" for m in access.current_memberships(people.officer_a2, on=later)
    )


@pytest.mark.django_db
def test_only_leaders_may_be_acting(people):
    with pytest.raises(Exception, match="membership_only_leaders_act|acting"):
        accounts.membership_create(
            by=None,
            user=people.officer_a2,
            unit=people.team_a,
            role="officer",
            is_acting=True,
        )


@pytest.mark.django_db
def test_registry_is_national_for_immigration_staff_only(people):
    for name in ["officer_a", "officer_b", "leader_a", "analyst", "office_admin"]:
        assert access.is_immigration_staff(getattr(people, name)), name
    assert not access.is_immigration_staff(people.partner)


@pytest.mark.django_db
def test_users_visible_to_follows_the_tree(people):
    assert set(User.objects.visible_to(people.officer_a)) == {people.officer_a}
    seen_by_leader = set(User.objects.visible_to(people.leader_a))
    assert {people.officer_a, people.officer_a2, people.leader_a} <= seen_by_leader
    assert people.officer_b not in seen_by_leader
    seen_by_analyst = set(User.objects.visible_to(people.analyst))
    assert people.head_a in seen_by_analyst
    assert people.leader_b not in seen_by_analyst


@pytest.mark.django_db
def test_partners_see_only_their_own_units(people):
    assert list(OrgUnit.objects.visible_to(people.partner)) == [people.office_a]
    assert OrgUnit.objects.visible_to(people.officer_b).count() == OrgUnit.objects.count()


@pytest.mark.django_db
def test_can_denies_unknown_actions_and_require_raises(people):
    assert not access.can(people.head_a, "launch", people.team_a)
    with pytest.raises(PermissionDenied):
        access.require(people.head_a, "launch", people.team_a)


@pytest.mark.django_db
def test_only_admins_of_the_unit_change_the_tree(people):
    with pytest.raises(PermissionDenied):
        accounts.orgunit_create(
            by=people.leader_a, kind="team", code="X", name="X", parent=people.section_a
        )
    team = accounts.orgunit_create(
        by=people.office_admin,
        kind="team",
        code="KI-TNG-TIM9",
        name="Tim 9",
        parent=people.section_a,
    )
    assert team.office == people.office_a
    with pytest.raises(PermissionDenied):
        accounts.orgunit_create(
            by=people.office_admin, kind="team", code="Y", name="Y", parent=people.section_b
        )


@pytest.mark.django_db
def test_partner_accounts_need_an_expiry_date(people):

    with pytest.raises(ValidationError):
        accounts.user_create(by=None, username="p2", full_name="P", password=None, agency="bnn")
