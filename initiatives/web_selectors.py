"""Reads the web pages need beside ``initiatives.selectors`` (kept apart so the domain module stays the source)."""

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from initiatives import selectors
from initiatives.models import Initiative, InitiativePhoto


def list_page_queryset(*, user, kern=None, theme=None, status=None, sort="newest", query: str = "") -> QuerySet:
    """The list with the first photo of each item prefetched: the same number of queries for any page size."""
    queryset = selectors.initiative_list(user=user, kern=kern, theme=theme or None, status=status or None, sort=sort)
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return queryset.prefetch_related(_main_photos())


def cards_to_show(*, user, kern=None, theme=None, status=None, sort="newest", query: str = "") -> QuerySet:
    """What ``user`` may see, filtered and sorted, as ``initiative_cards`` takes it.

    Where cards are kept (``ANONYMOUS_PAGE_CACHE_SECONDS``), only the ids: ``initiative_cards`` loads just the
    initiatives whose card it has not kept (``cards``), so no totals, joins or photos are read for the rest.
    Where nothing is kept, the initiatives themselves with what their cards show, in the same query."""
    if not settings.ANONYMOUS_PAGE_CACHE_SECONDS:
        return list_page_queryset(user=user, kern=kern, theme=theme, status=status, sort=sort, query=query)
    queryset = selectors.initiative_list(user=user, kern=kern, theme=theme or None, status=status or None, sort=sort,
                                         totals=False)
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return queryset.values_list("pk", flat=True)


def cards(ids) -> dict:
    """The initiatives with these ids, as their cards show them (totals, kern, first photo), by id: two queries.

    Precondition: the viewer may see each of them (the ids come from ``cards_to_show``)."""
    queryset = selectors.totalled().filter(pk__in=list(ids)).select_related("kern")
    return {item.pk: item for item in queryset.prefetch_related(_main_photos())}


def _main_photos():
    return Prefetch("photos", queryset=InitiativePhoto.objects.filter(kind=InitiativePhoto.Kind.MAIN),
                    to_attr="main_photos")


def map_queryset(*, user, kern=None):
    """Visible initiatives that have a point, for the map (no totals needed)."""
    queryset = Initiative.objects.visible_to(user).filter(latitude__isnull=False).select_related("kern")
    if kern is not None:
        queryset = queryset.filter(kern=kern)
    return queryset.only("pk", "title", "latitude", "longitude", "location_label", "status", "kern__name")
