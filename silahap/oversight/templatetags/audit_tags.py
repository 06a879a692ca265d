from typing import Any

from django import template

from silahap.accounts import access
from silahap.registry.models import ForeignNational

register = template.Library()


@register.filter
def may_export_personal_data(user: Any, person: ForeignNational) -> bool:
    """Whether to offer the data subject's export on a person's page."""
    return access.can(user, "export_personal_data", person)
