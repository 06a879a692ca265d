"""The demo seed (through the services) and `seed_demo --scale` (rows written in bulk, past the
services) leave every person's warning columns as their permits and checks say."""

import io

import pytest
from django.core.management import call_command

from silahap.demo.bulk import generate
from silahap.registry.areas import load_areas
from silahap.registry.tests.test_warning_columns import from_scratch, stored
from silahap.reports.models import Check

pytestmark = pytest.mark.django_db


def test_seeded_and_bulk_generated_persons_carry_their_warning_columns():
    load_areas({"36", "51", "91"})
    call_command("seed_demo", stdout=io.StringIO())
    generate(scale=300)
    columns = stored()
    assert columns == from_scratch()
    checked = set(Check.objects.values_list("person_id", flat=True))
    assert sum(1 for pk in checked if columns[pk][1] is not None) == len(checked)
