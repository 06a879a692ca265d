"""The nationality labels of the evaluation pages, looked up as a table asks, are the names the
whole country list gave, in both languages, unknown codes shown as themselves."""

from __future__ import annotations

import pytest
from django.utils import translation

from silahap.insights.views.common import labels
from silahap.registry.countries import NationalityCountries


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_each_nationality_gets_the_name_the_full_list_gives(language):
    with translation.override(language):
        full = dict(NationalityCountries())
        names = labels()["checks_by_nationality"]
        for code in [*full, "XXX", ""]:
            assert names.get(code, code or "—") == full.get(code, code or "—"), code
    assert len(full) > 200
