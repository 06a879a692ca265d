"""Supervision pieces other pages show: the officer's open tasks and the notification bell."""

from django import template

from silahap.supervision.context_processors import bell_count, officer_tasks_context

register = template.Library()


@register.inclusion_tag("supervision/_officer_tasks.html", takes_context=True)
def officer_tasks(context):
    """`{% load supervision %}{% officer_tasks %}`: the signed-in officer's open tasks."""
    return officer_tasks_context(context["request"].user)


@register.inclusion_tag("supervision/_bell.html", takes_context=True)
def notification_bell(context):
    """`{% load supervision %}{% notification_bell %}`: the bell with the unread count."""
    request = context["request"]
    return {"notification_unread": bell_count(request) if request.user.is_authenticated else 0}
