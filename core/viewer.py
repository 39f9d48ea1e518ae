"""Who looks at the page, for template tags that show each person what they may see."""

from django.contrib.auth.models import AnonymousUser


def viewer_of(context):
    """The signed-in person of the template's request, or a visitor (also when there is no request)."""
    request = context.get("request")
    return getattr(request, "user", None) or AnonymousUser()
