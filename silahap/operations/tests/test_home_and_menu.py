"""The partner's home page lists their operations (home.partner slot); the top menu links to
operations for those who may see them (nav.top slot), at no query of its own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silahap.operations.tests.helpers import joint_operation

pytestmark = pytest.mark.django_db


def test_a_partners_home_lists_their_operations_only(client, people):
    mine = joint_operation(people)
    other = joint_operation(people, number="OPS-LAIN")
    other.members.filter(user=people.partner_bnn).delete()
    client.force_login(people.partner_bnn)
    content = client.get(reverse("home")).content.decode()
    assert content.count('data-testid="partner-operation"') == 1
    assert mine.get_absolute_url() in content
    assert other.get_absolute_url() not in content


def test_the_menu_links_operations_for_staff_and_partners_not_administrators(client, people):
    for name, shown in [("officer_a", True), ("partner", True), ("office_admin", False)]:
        client.force_login(getattr(people, name))
        content = client.get(reverse("operations:team_list")).content.decode()
        assert ('data-testid="nav-operations"' in content) is shown, name


@pytest.mark.parametrize("operations", [1, 4])
def test_the_partners_home_reads_a_fixed_number_of_queries(
    client, people, operations, django_assert_max_num_queries
):
    for index in range(operations):
        joint_operation(people, number=f"OPS-{index}")
    client.force_login(people.partner)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("home")).status_code == 200
