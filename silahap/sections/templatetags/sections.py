from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from silahap.sections import forms as form_extensions
from silahap.sections import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def sections(context, slot: str | list[registry.Prepared], **records):
    """`{% sections "reports.today" %}`: every section the apps above added to this slot;
    `{% sections "registry.person_detail" person=person %}` hands them the page's record, and
    `{% sections prepared %}` renders what the view already prepared (registry.prepare)."""
    request = context["request"]
    prepared = registry.prepare(slot, request, **records) if isinstance(slot, str) else slot
    parts = [
        render_to_string(part.section.template, part.context, request=request) for part in prepared
    ]
    # Each part is a template rendered with autoescaping; joining them adds no markup of its own.
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def form_extensions_of(context, form):
    """`{% form_extensions_of form %}`: the fields the apps above added to this form."""
    request = context["request"]
    parts = [
        render_to_string(extension.template, {"form": form, "fields": fields}, request=request)
        for extension, fields in form_extensions.bound_fields(form)
    ]
    return mark_safe("".join(parts))
