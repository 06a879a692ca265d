"""Operation states as of now, and periods in the leading office's own time zone."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html

from silahap.operations.models import OperationStatus

register = template.Library()


@register.filter
def state_at(operation, now):
    return operation.state(now)


@register.filter
def state_label_at(operation, now):
    return OperationStatus(operation.state(now)).label


@register.simple_tag
def period(operation):
    """Start – end in the office's time (WIB, WITA or WIT), which is what its officers read."""
    zone = operation.zone
    start = timezone.localtime(operation.starts_at, zone)
    end = timezone.localtime(operation.ends_at, zone)
    label = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
        str(zone), ""
    )
    return format_html("{} – {} {}", f"{start:%d-%m-%Y %H:%M}", f"{end:%d-%m-%Y %H:%M}", label)


@register.filter
def local(moment, zone):
    return timezone.localtime(moment, zone) if moment else ""
