"""Map template tags: every map gets the tile settings, the municipality's bounds and its text alternative."""

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from maps import geo

register = template.Library()


def _map_context(label: str) -> dict:
    return {
        "map_label": label or _("Kaart"),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_bounds": geo.municipality_bounds(),
    }


@register.inclusion_tag("maps/includes/map.html")
def map_view(label: str = "", *, features_url: str = "", point_lat=None, point_lng=None, point_label: str = ""):
    """A map of GeoJSON features (``features_url``) or of one point. Pair it with ``maps/includes/places.html``."""
    return {
        **_map_context(label),
        "features_url": features_url,
        "point_lat": point_lat,
        "point_lng": point_lng,
        "point_label": point_label,
    }


@register.inclusion_tag("maps/includes/picker.html")
def map_picker(lat_field, lng_field, *, label: str = "", kern_input_id: str = "", kern_centres_id: str = ""):
    """A map to pick a point into two form fields; the fields stay visible for typing coordinates."""
    return {
        **_map_context(label or _("Kaart om een plek te kiezen")),
        "lat_field": lat_field,
        "lng_field": lng_field,
        "kern_input_id": kern_input_id,
        "kern_centres_id": kern_centres_id,
        "outside_message": str(geo.OUTSIDE_MUNICIPALITY),
    }
