"""Template helpers for initiatives: photo sizes, and the initiatives block on a KernPage."""

from django import template
from django.core.files.storage import default_storage

from initiatives.images import srcset

register = template.Library()
KERN_PAGE_COUNT = 6


register.filter("photo_srcset", srcset)


@register.filter
def photo_small_url(photo) -> str:
    renditions = photo.renditions or []
    return default_storage.url(renditions[0]["name"]) if renditions else photo.image.url


@register.inclusion_tag("initiatives/includes/kern_block.html", takes_context=True)
def kern_initiatives(context, kern):
    """The newest initiatives of one kern that the viewer may see, for its KernPage (a fixed number of queries)."""
    from initiatives.web_selectors import list_page_queryset

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    items = list(list_page_queryset(user=user, kern=kern, sort="newest")[:KERN_PAGE_COUNT])
    return {"kern": kern, "initiatives": items, "request": request}
