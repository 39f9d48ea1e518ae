"""GeoJSON for maps, and the map page with its text alternative. Only what the viewer may see."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from community.models import Kern
from maps import geo

GEOJSON = "application/geo+json"


@require_GET
@cache_control(public=True, max_age=86400)
def municipality(request):
    """The (approximate, see maps/boundary.py) municipal area: the outline every map draws, tiles or not."""
    return JsonResponse(geo.municipality_geojson(), content_type=GEOJSON)


def _kern_from(request):
    slug = request.GET.get("kern")
    return get_object_or_404(Kern, slug=slug) if slug else None


def place_text(initiative) -> str:
    return ", ".join(part for part in (initiative.location_label, initiative.kern.name) if part)


@require_GET
def initiatives_geojson(request):
    """Initiatives with a point that this viewer may see (``visible_to``: drafts only for who may see them)."""
    from initiatives.web_selectors import map_queryset

    features = [
        geo.point_feature(lat=item.latitude, lng=item.longitude, properties={
            "id": item.pk, "title": item.title, "url": item.get_absolute_url(), "place": place_text(item),
            "status": item.status,
        })
        for item in map_queryset(user=request.user, kern=_kern_from(request))[:2000]
    ]
    response = JsonResponse(geo.feature_collection(features), content_type=GEOJSON)
    response["Cache-Control"] = "private, max-age=0" if request.user.is_authenticated else "public, max-age=60"
    return response


@require_GET
def initiatives_map(request):
    """The map of initiatives, and beside it the same places as a list (the map's text view)."""
    from initiatives.models import Initiative

    kern = _kern_from(request)
    places = Initiative.objects.visible_to(request.user).select_related("kern").order_by("kern__name", "title")
    if kern is not None:
        places = places.filter(kern=kern)
    places = list(places.only("pk", "title", "location_label", "latitude", "kern__name")[:500])
    for item in places:
        item.place_text = place_text(item)
    return render(request, "maps/initiatives_map.html", {"kern": kern, "places": places,
                                                         "kernen": Kern.objects.all()})
