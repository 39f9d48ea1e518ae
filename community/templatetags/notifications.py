from django import template

from community.notifications.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in person's unread count (one query; none for visitors)."""
    request = context.get("request")
    return unread_count(request.user) if request is not None else 0
