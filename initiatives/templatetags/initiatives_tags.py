"""Template helpers for initiatives: photo sizes, and the initiatives block on a KernPage."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from core.pagecache import generation, shared_fragment
from core.viewer import viewer_of
from initiatives.images import srcset

register = template.Library()
KERN_PAGE_COUNT = 6
HOME_PAGE_COUNT = 6


register.filter("photo_srcset", srcset)


@register.filter
def photo_small_url(photo) -> str:
    renditions = photo.renditions or []
    return default_storage.url(renditions[0]["name"]) if renditions else photo.image.url


@register.simple_tag
def initiative_cards(items, heading: str = "h2") -> str:
    """The list cards of ``items`` (from ``web_selectors.cards_to_show``: ids, or initiatives), in their order.

    A card looks the same to everyone who may see it, so its HTML is kept in the cache (one round trip for the
    whole list) until anything that pages show changes; only the initiatives whose card is not kept are loaded
    (``web_selectors.cards``: two queries), so a list whose cards are all kept costs no query here."""
    from initiatives.web_selectors import cards

    seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
    if not seconds:
        return mark_safe("".join(_card(item, heading) for item in items))  # noqa: S308 (rendered, escaped)
    ids = [getattr(item, "pk", item) for item in items]
    prefix = f"samenlab:card:{generation()}:{translation.get_language()}:{heading}:"
    stored = cache.get_many([f"{prefix}{pk}" for pk in ids])
    missing = [pk for pk in ids if f"{prefix}{pk}" not in stored]
    loaded = cards(missing) if missing else {}
    fresh = {f"{prefix}{pk}": _card(loaded[pk], heading) for pk in missing if pk in loaded}
    if fresh:
        cache.set_many(fresh, seconds)
    return mark_safe("".join(stored.get(f"{prefix}{pk}") or fresh.get(f"{prefix}{pk}", "")  # noqa: S308
                             for pk in ids))


def _card(item, heading: str) -> str:
    return render_to_string("initiatives/includes/card.html", {"item": item, "heading": heading})


@register.simple_tag(takes_context=True)
def kern_initiatives(context, kern):
    """The newest initiatives of one kern that the viewer may see, for its KernPage (a fixed number of queries).

    One small query finds which ones (their ids); the block for exactly those is kept per page generation and
    language, so everyone who sees the same initiatives there (most viewers see what everyone sees; a council
    member or an initiator with a draft may see more) shares one copy, and the cards inside are kept too.
    """
    from initiatives.web_selectors import cards_to_show

    items = list(cards_to_show(user=viewer_of(context), kern=kern, sort="newest")[:KERN_PAGE_COUNT])

    def render() -> str:
        return render_to_string("initiatives/includes/kern_block.html", {"kern": kern, "initiatives": items})

    if not settings.ANONYMOUS_PAGE_CACHE_SECONDS:
        return render()
    return shared_fragment("kern-initiatives", kern.pk, tuple(items), render=render)


@register.inclusion_tag("initiatives/includes/home_block.html", takes_context=True)
def seeking_support(context):
    """Initiatives raising money or help now, for the home page: the resident's own kern first, then the rest.

    Closing soonest first, so that what needs help most urgently comes first. One query (the ids) when their cards
    are kept, three when not, whatever the number of initiatives.
    """
    from django.db.models import Case, IntegerField, Value, When

    from initiatives.models import Status
    from initiatives.web_selectors import cards_to_show

    request = context.get("request")
    user = viewer_of(context)
    own_kern = getattr(user, "kern", None) if user.is_authenticated else None
    queryset = cards_to_show(user=user, status=Status.FUNDING, sort="closing_soon")
    if own_kern is not None:
        mine_first = Case(When(kern=own_kern, then=Value(0)), default=Value(1), output_field=IntegerField())
        queryset = queryset.order_by(mine_first, *queryset.query.order_by)
    items = list(queryset[:HOME_PAGE_COUNT])
    return {"initiatives": items, "own_kern": own_kern, "request": request}


RECENT_HAPPENINGS = 5
# What is news to neighbours: a plan that goes public, reaches its goal, or is done.
NEWSWORTHY = ("approve", "start_funding", "deadline", "realise")


@register.inclusion_tag("initiatives/includes/recent.html", takes_context=True)
def recent_in_kernen(context, kern=None):
    """What happened lately with initiatives anyone may see (one query): for the home page and kern pages."""
    from initiatives.models import InitiativeEvent, Status
    from initiatives.models.initiative import PUBLIC_STATUSES

    events = (InitiativeEvent.objects
              .filter(action__in=NEWSWORTHY, initiative__status__in=PUBLIC_STATUSES,
                      to_status__in=[Status.PUBLISHED, Status.FUNDING, Status.FUNDED, Status.REALISED])
              .select_related("initiative", "initiative__kern").order_by("-created_at", "-pk"))
    if kern is not None:
        events = events.filter(initiative__kern=kern)
    return {"events": list(events[:RECENT_HAPPENINGS]), "kern": kern}
