from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from silahap.sections import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def sections(context, slot: str):
    """`{% sections "reports.today" %}`: every section the apps above added to this slot."""
    request = context["request"]
    parts = []
    for section in registry.for_slot(slot):
        values = section.context(request)
        if values is not None:
            parts.append(render_to_string(section.template, values, request=request))
    # Each part is a template rendered with autoescaping; joining them adds no markup of its own.
    return mark_safe("".join(parts))
