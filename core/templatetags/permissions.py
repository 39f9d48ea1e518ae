"""``{% load permissions %}{% may "initiatives.add_pledge" initiative as can_pledge %}``: the rule, in templates.

django-rules' own ``{% has_perm %}`` asks ``user.has_perm``, which lets every superuser through; this tag
asks the rule itself (``core.permissions.may``), like every other door.
"""

from django import template

from core.permissions import may as _may

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, perm: str, obj=None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    return _may(user, perm, obj)
