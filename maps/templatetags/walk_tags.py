"""The walk map: the route, the meeting point and the observations, live for those who walk along."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from maps.templatetags.maps_tags import _map_context

register = template.Library()


@register.inclusion_tag("maps/includes/walk_map.html")
def walk_map(walk, *, label: str = "", live: bool = False, last_seq=None, editable_point: bool = False,
             select: bool = False, pick: bool = False):
    """A Leaflet map of ``walk`` (static/js/walk-map.js). Always paired with the text view on the same page.

    ``live``: follow the walk's stream (only for who may, ``maps.follow_walk_live``); ``select``: observations
    can be chosen for triage (their check boxes in the list are the source of truth); ``pick`` (or
    ``editable_point``): a tap, or Enter on the keyboard's cross, places a new observation (``walkmap:tap``).
    """
    meeting = None
    if walk.meeting_latitude is not None:
        meeting = [float(walk.meeting_longitude), float(walk.meeting_latitude)]
    return {
        **_map_context(label or _("Kaart van de wijkschouw")),
        "walk": walk,
        "walk_data": {"id": walk.pk, "route": walk.route, "meeting": meeting, "meeting_point": walk.meeting_point},
        "features_url": reverse("api:walks-observations", kwargs={"pk": walk.pk}),
        "live_url": f"/ws/wijkschouw/{walk.pk}/" if live else "",
        "last_seq": last_seq,
        "select": select,
        "pick": pick or editable_point,
    }


@register.inclusion_tag("maps/includes/route_editor.html")
def route_editor(field, *, meeting_lat_field=None, meeting_lng_field=None, kern=None):
    """Draw the route on a map into a hidden field (``[[lng, lat], …]``); every point can also be typed."""
    centre = [float(kern.longitude), float(kern.latitude)] if kern is not None else None
    return {**_map_context(_("Kaart om de route te tekenen")), "field": field, "centre": centre,
            "meeting_lat_field": meeting_lat_field, "meeting_lng_field": meeting_lng_field}
