"""``{{ amount|money }}``: euros as the page's language writes them (core/formats.py)."""

from django import template

from core.formats import money as format_money

register = template.Library()


@register.filter
def money(value):
    return format_money(value)
