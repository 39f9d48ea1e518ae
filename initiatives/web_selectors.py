"""Reads the web pages need beside ``initiatives.selectors`` (kept apart so the domain module stays the source)."""

from django.db.models import Prefetch, Q, QuerySet

from initiatives import selectors
from initiatives.models import InitiativePhoto


def list_page_queryset(*, user, kern=None, theme=None, status=None, sort="newest", query: str = "") -> QuerySet:
    """The list with the first photo of each item prefetched: the same number of queries for any page size."""
    queryset = selectors.initiative_list(user=user, kern=kern, theme=theme or None, status=status or None, sort=sort)
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(summary__icontains=query))
    return queryset.prefetch_related(
        Prefetch("photos", queryset=InitiativePhoto.objects.filter(kind=InitiativePhoto.Kind.MAIN),
                 to_attr="main_photos")
    )


def map_queryset(*, user, kern=None):
    """Visible initiatives that have a point, for the map (no totals needed)."""
    queryset = selectors.Initiative.objects.visible_to(user).filter(latitude__isnull=False).select_related("kern")
    if kern is not None:
        queryset = queryset.filter(kern=kern)
    return queryset.only("pk", "title", "latitude", "longitude", "location_label", "status", "kern__name")
