"""visible_to (lists and 404s) and can(user, "read", obj) agree for every persona."""

import datetime

import pytest

from silahap.accounts import access
from silahap.guidance.models import Direction, Sop, Tutorial
from silahap.guidance.services import library
from silahap.guidance.tests.helpers import send, tiny_pdf, tutorial
from silahap.testing.personas import USERNAMES

pytestmark = pytest.mark.django_db


def test_directions_sops_and_tutorials_answer_the_same_both_ways(people, mp4_bytes):
    objects = [
        send(people),
        send(people, by=people.head_a, unit=people.office_a, units=[people.section_a]),
        send(people, by=people.leader_b, unit=people.section_b, units=[people.section_b]),
        library.sop_create(
            by=people.leader_a,
            title="SOP",
            category="field",
            number="1",
            effective_date=datetime.date(2025, 1, 1),
            data=tiny_pdf(),
        ),
        tutorial(people, mp4_bytes, convert=False),
    ]
    for username in USERNAMES:
        user = people.by_name(username)
        for obj in objects:
            model = type(obj)
            assert model in (Direction, Sop, Tutorial)
            seen = model.objects.visible_to(user).filter(pk=obj.pk).exists()
            assert seen == access.can(user, "read", obj), (username, model.__name__, obj.pk)
