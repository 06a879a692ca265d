from django import template

from silahap.accounts import access

register = template.Library()


@register.filter
def may_export_personal_data(user, person) -> bool:
    """Whether to offer the data subject's export on a person's page."""
    return access.can(user, "export_personal_data", person)
