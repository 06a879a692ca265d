from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def distance(metres):
    """`{{ metres|distance }}`: "850 m" under a kilometre, "1,3 km" from there (in the page's
    language's number format)."""
    if metres is None:
        return ""
    if metres < 1000:
        return f"{floatformat(metres, 0)} m"
    return f"{floatformat(metres / 1000, 1)} km"
