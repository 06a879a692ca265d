import pytest
from django.template import Context, Template

from silahap.testing.url_matrix import registry_person

LINK = Template(
    "{% load audit_tags %}{% if user|may_export_personal_data:person %}export{% endif %}"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "shown"),
    [("office_admin", "export"), ("leader_a", ""), ("officer_a", ""), ("partner", "")],
)
def test_the_export_link_is_offered_to_administrators_only(people, persona, shown):
    person = registry_person(people)
    rendered = LINK.render(Context({"user": getattr(people, persona), "person": person}))
    assert rendered == shown
