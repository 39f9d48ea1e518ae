"""``{% slot "name" part … %}``: a place in kept HTML that each request fills in (core.slots)."""

from django import template
from django.utils.safestring import mark_safe

from core.slots import slot as make_slot

register = template.Library()


@register.simple_tag
def slot(name, *parts):
    return mark_safe(make_slot(name, *parts))  # noqa: S308  (letters, digits, hyphens, colons and @ only)
