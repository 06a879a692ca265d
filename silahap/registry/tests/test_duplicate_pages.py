"""The duplicate review pages: pairs side by side, merge and "not a duplicate" for leaders
and office administrators, 422 with the pair again on a bad choice, 404 for a partner; a
merged person's old page leads to the survivor and search no longer finds them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silahap.audit.models import AuditEvent
from silahap.registry.models import ForeignNational, PersonPairDecision
from silahap.registry.tests.test_person_merge import person
from silahap.registry.tests.test_place_merge import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["silahap_language"] = "en"
    return client


@pytest.fixture
def twins(people):
    return person("Zhang Wei", number="E11111111"), person("Wei Zhang", number="E22222222")


def merge_url(first, second):
    return reverse("registry:person_merge", args=[first.pk, second.pk])


def test_an_officer_sees_the_pairs_side_by_side_without_decision_buttons(
    english, people, twins, django_assert_max_num_queries
):
    english.force_login(people.officer_a)
    with django_assert_max_num_queries(16):
        response = english.get(reverse("registry:person_duplicates"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-testid="duplicate-side"') == 2
    assert "E11111111" in body
    assert "E22222222" in body
    assert 'data-testid="merge-into"' not in body


def test_a_leader_merges_and_the_old_page_leads_to_the_survivor(english, people, twins):
    kept, duplicate = twins
    english.force_login(people.leader_a)

    response = english.post(
        merge_url(kept, duplicate), {"survivor": kept.pk, "by": "name", "after": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person_duplicates") + "?by=name"
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    old_page = english.get(duplicate.get_absolute_url() + "?purpose=supervision")
    assert old_page.status_code == 302
    assert old_page["Location"].startswith(kept.get_absolute_url())
    found = english.get(reverse("registry:person_lookup"), {"q": "E22222222"}).json()
    assert [row["id"] for row in found] == [kept.pk]
    listed = english.get(reverse("registry:person_duplicates"))
    assert 'data-testid="duplicate-pair"' not in listed.content.decode()


def test_a_repeated_merge_submit_changes_nothing_twice(english, people, twins):
    kept, duplicate = twins
    english.force_login(people.leader_a)
    english.post(merge_url(kept, duplicate), {"survivor": kept.pk})
    events = AuditEvent.objects.filter(action="person.merge").count()

    response = english.post(merge_url(kept, duplicate), {"survivor": kept.pk})

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="person.merge").count() == events


def test_a_survivor_outside_the_pair_is_refused_with_the_pair_shown_again(english, people, twins):
    kept, duplicate = twins
    english.force_login(people.office_admin)

    response = english.post(merge_url(kept, duplicate), {"survivor": 999999})

    assert response.status_code == 422
    assert b'data-testid="decision-errors"' in response.content
    assert response.content.decode().count('data-testid="duplicate-side"') == 2
    assert not ForeignNational.objects.filter(merged_into__isnull=False).exists()


def test_merging_into_an_already_merged_record_answers_422(english, people, twins):
    kept, duplicate = twins
    third = person("Zhang Wey")
    english.force_login(people.leader_a)
    english.post(merge_url(kept, duplicate), {"survivor": kept.pk})

    response = english.post(merge_url(duplicate, third), {"survivor": duplicate.pk})

    assert response.status_code == 422
    assert b"merged into another one" in response.content


def test_not_a_duplicate_is_remembered_and_the_pair_leaves_the_list(english, people, twins):
    english.force_login(people.leader_a)
    url = reverse("registry:person_duplicate_dismiss", args=[twins[0].pk, twins[1].pk])

    assert english.post(url, {"by": "name"}).status_code == 302
    assert english.post(url, {"by": "name"}).status_code == 302

    assert PersonPairDecision.objects.count() == 1
    assert AuditEvent.objects.filter(action="person.duplicate_dismiss").count() == 1
    listed = english.get(reverse("registry:person_duplicates"))
    assert 'data-testid="duplicate-pair"' not in listed.content.decode()


def test_an_officer_may_not_merge(client, people, twins):
    client.force_login(people.officer_a)
    assert client.post(merge_url(*twins), {"survivor": twins[0].pk}).status_code == 403


def test_a_partner_gets_404_on_every_duplicate_page(client, people, twins):
    client.force_login(people.partner)
    pair = [twins[0].pk, twins[1].pk]
    assert client.get(reverse("registry:person_duplicates")).status_code == 404
    assert client.get(reverse("registry:place_duplicates")).status_code == 404
    assert client.post(merge_url(*twins), {"survivor": pair[0]}).status_code == 404
    dismiss = reverse("registry:person_duplicate_dismiss", args=pair)
    assert client.post(dismiss).status_code == 404


def test_the_place_list_shows_places_of_one_name_close_together(
    english, people, django_assert_max_num_queries
):

    place(people), place(people, longitude="106.630300")
    english.force_login(people.leader_a)
    with django_assert_max_num_queries(14):
        response = english.get(reverse("registry:place_duplicates"))
    assert response.content.decode().count('data-testid="duplicate-side"') == 2
    assert b"33 m apart" in response.content


def test_a_leader_merges_places_and_the_old_place_page_links_to_the_survivor(english, people):

    kept, duplicate = place(people), place(people, longitude="106.630300")
    english.force_login(people.leader_a)

    response = english.post(
        reverse("registry:place_merge", args=[kept.pk, duplicate.pk]), {"survivor": kept.pk}
    )

    assert response.status_code == 302
    old_page = english.get(duplicate.get_absolute_url())
    assert kept.get_absolute_url().encode() in old_page.content
    assert b"This place was merged into" in old_page.content
