"""``{% load voting_budgets %}``: amounts on the budget pages, ``{{ amount|euros }}`` ("€ 7.500") and
``{{ amount|cents }}`` ("€ 9,62", also for a stored fraction such as "25/3")."""

from django import template

from voting.selectors.budgets import cents as format_cents
from voting.selectors.budgets import euros as format_euros

register = template.Library()


@register.filter
def euros(value):
    return format_euros(value)


@register.filter
def cents(value):
    return format_cents(value) if value not in (None, "") else ""
