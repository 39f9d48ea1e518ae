"""The personal touch on pages: the welcome, staff with a face, and what is coming up."""

from django import template

from community import activities, links
from community.models import Notification
from community.selectors import greeting_for, public_staff
from core.viewer import viewer_of

register = template.Library()

CHANGES_IN_WELCOME = 2


@register.inclusion_tag("community/includes/welcome.html", takes_context=True)
def personal_welcome(context):
    """"Goedemorgen heer De Vries, welkom terug. Heeft u al gezien dat…": for a signed-in person (one query)."""
    request = context.get("request")
    user = viewer_of(context)
    if not user.is_authenticated:
        return {"user": None}
    since = getattr(request, "visit_since", None)
    changes = Notification.objects.filter(recipient=user)
    if since is not None:
        changes = changes.filter(created_at__gt=since)
    return {"user": user, "greeting": greeting_for(), "returning": getattr(request, "visit_is_return", False),
            "changes": list(changes[:CHANGES_IN_WELCOME])}


@register.inclusion_tag("community/includes/staff_faces.html", takes_context=True)
def staff_faces(context, kern=None, count: int = 4, heading: str = ""):
    """The faces of staff who help (for ``kern``: those who work there), with what they help with."""
    staff = list(public_staff(kern=kern)[:count])
    return {"staff": staff, "kern": kern, "heading": heading, "directory_url": links.url_for("staff_directory")}


@register.inclusion_tag("community/includes/upcoming.html", takes_context=True)
def upcoming_activities(context, kern=None, count: int = 4):
    return {"activities": activities.upcoming(user=viewer_of(context), kern=kern, limit=count), "kern": kern}
