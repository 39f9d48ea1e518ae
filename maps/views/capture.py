"""On the walk: the capture app (installable, offline first) and its no-map, no-script form.

The app page carries everything the phone needs to work offline (the walk, the themes, the addresses
of the API) in one JSON script element; the service worker keeps the page and its
assets. The same page has a plain form that records an observation by address or description, for a
resident who does not use the map, works with the keyboard only, or has scripts off.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from core.errors import error_text
from core.permissions import may, require, visible_or_404
from live.services import last_seq
from maps import selectors, services
from maps.forms import ObservationForm, ObservationPhotoForm
from maps.models import CrowScore, ObservationKind, ObservationTheme
from maps.services.observations import MAX_PHOTOS, SAME_PLACE_METRES
from maps.views.walks import _walk_or_404


def capture_config(request, walk) -> dict:
    """What the capture app needs, offline included (read by static/js/walk-capture.js)."""
    return {
        "walk": {"id": walk.pk, "title": walk.title, "state": walk.state, "route": walk.route,
                 "kern": walk.kern.name, "meeting_point": walk.meeting_point,
                 "meeting": [float(walk.meeting_longitude), float(walk.meeting_latitude)]
                 if walk.meeting_latitude is not None else None},
        "user": {"id": request.user.pk, "name": request.user.display_name},
        "themes": [{"value": value, "label": str(label), "suggested": value in walk.themes}
                   for value, label in ObservationTheme.choices],
        "kinds": [{"value": value, "label": str(label)} for value, label in ObservationKind.choices],
        "crow": [{"value": value, "label": str(label)} for value, label in CrowScore.choices],
        "max_photos": MAX_PHOTOS,
        "same_place_metres": SAME_PLACE_METRES,
        "urls": {
            "observations": reverse("api:walks-observations", kwargs={"pk": walk.pk}),
            "photos": reverse("api:observations-photos", kwargs={"pk": 0}).replace("/0/", "/{id}/"),
            "nearby": reverse("api:walks-nearby", kwargs={"pk": walk.pk}),
            "boundary": reverse("maps:municipality"),
            "walk": walk.get_absolute_url(),
        },
        "last_seq": last_seq(walk.stream),
        "may_share_position": may(request.user, "maps.share_group_position", walk),
    }


@login_required
def capture(request, pk: int):
    """The walk on the phone: live map, observations, the offline queue; and the plain form beside it."""
    walk = _walk_or_404(pk)
    require(request.user, "maps.follow_walk_live", walk, _("Meld u eerst aan voor deze wijkschouw om mee te "
                                                          "lopen."))
    return _capture_page(request, walk, ObservationForm())


def _capture_page(request, walk, form, status: int = 200):
    return render(request, "maps/capture.html", {
        "walk": walk, "form": form, "may_observe": may(request.user, "maps.observe", walk),
        "observation_list": selectors.observation_list_html(request, walk, takes_part=True),
        "config": capture_config(request, walk),
        "manifest_url": reverse("maps:manifest", kwargs={"pk": walk.pk}),
    }, status=status)


@login_required
@require_POST
def record(request, pk: int):
    """The plain form: one observation (and optionally one photo) without the map or scripts."""
    walk = _walk_or_404(pk)
    form = ObservationForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        photo, alt_text = data.pop("photo"), data.pop("alt_text")
        try:
            observation, created = services.record_observation(actor=request.user, walk=walk, **data)
            if photo is not None:
                services.add_observation_photo(actor=request.user, observation=observation,
                                               client_id=data["client_id"], image=photo, alt_text=alt_text)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Uw waarneming is opgeslagen.") if created
                             else _("Deze waarneming was al opgeslagen."))
            return redirect(reverse("maps:capture", kwargs={"pk": walk.pk}) + "#waarneming-" + str(observation.pk))
    return _capture_page(request, walk, form, status=400)


def observation_detail(request, pk: int):
    """One observation: what was seen, its photos, and what happened with it (the loop closed)."""
    queryset = selectors.visible_observations(request.user).select_related("walk__kern", "author", "merged_into",
                                                                           "report")
    observation = visible_or_404(request.user, "maps.view_observation", queryset, pk=pk)
    photo_form = ObservationPhotoForm() if may(request.user, "maps.add_observation_photo", observation) else None
    triage = may(request.user, "maps.triage", observation)
    report = getattr(observation, "report", None) if triage and observation.state == "reported" else None
    return render(request, "maps/observation.html", {
        "observation": observation, "walk": observation.walk, "outcome": selectors.outcome_of(observation),
        "photos": list(observation.photos.all()), "photo_form": photo_form,
        "trail": list(observation.triage_entries.select_related("actor")) if triage else None,
        "report": report,
    })


@login_required
@require_POST
def add_photo(request, pk: int):
    queryset = selectors.visible_observations(request.user).select_related("walk__kern")
    observation = visible_or_404(request.user, "maps.view_observation", queryset, pk=pk)
    form = ObservationPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(observation)
    try:
        services.add_observation_photo(actor=request.user, observation=observation,
                                       client_id=form.cleaned_data["client_id"], image=form.cleaned_data["photo"],
                                       alt_text=form.cleaned_data["alt_text"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("De foto is toegevoegd."))
    return redirect(observation)


@require_GET
def manifest(request, pk: int):
    """The web app manifest: the walk's capture page, installable on the home screen."""
    walk = _walk_or_404(pk)
    start = reverse("maps:capture", kwargs={"pk": walk.pk})
    return JsonResponse({
        "name": _("Wijkschouw %(title)s") % {"title": walk.title},
        "short_name": _("Wijkschouw"),
        "start_url": start,
        "scope": reverse("maps:walks"),
        "display": "standalone",
        "lang": request.LANGUAGE_CODE,
        "background_color": "#ffffff",
        "theme_color": "#154273",
        "icons": [{"src": static("img/samenlab-icon.svg"), "sizes": "any", "type": "image/svg+xml",
                   "purpose": "any"}],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """The service worker, served from /wijkschouw/ so that it may look after every walk page below it.

    The server fills in the assets to keep and a version (a hash of the worker and those assets, so that
    a changed asset installs a new worker); the worker may fetch the configured map tiles.
    """
    import hashlib

    from django.conf import settings
    from django.contrib.staticfiles import finders

    path = finders.find("js/walk-sw.js")
    if path is None:
        raise Http404
    with open(path, encoding="utf-8") as handle:
        body = handle.read()
    version = hashlib.sha256(body.encode())
    for name in SW_ASSETS:
        found = finders.find(name)
        if found:
            with open(found, "rb") as asset:
                version.update(asset.read())
    assets = json.dumps([static(name) for name in SW_ASSETS])
    body = body.replace("/*ASSETS*/[]", assets).replace('/*VERSION*/"dev"', json.dumps(version.hexdigest()[:16]))
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("maps:walks")
    tile_origin = "/".join(settings.MAP_TILE_URL.split("/")[:3]) if settings.MAP_TILE_URL.startswith("http") else ""
    if tile_origin:  # the worker fetches tiles itself (kept for offline use)
        response._csp_update = {"connect-src": [tile_origin]}
    return response


# What the service worker keeps for offline use (the capture page itself is kept when it is visited):
# everything the capture page loads. idb 8 is one file (build/index.js imports nothing).
SW_ASSETS = [
    "vendor/utrecht-tokens/theme.css", "vendor/utrecht/index.css", "vendor/utrecht/html.css",
    "css/samenlab.css", "css/initiatives.css", "css/walks.css",
    "js/read-aloud.js", "js/menu.js", "js/map-picker.js", "js/walk-capture.js", "js/walk-map.js", "js/live-link.js",
    "vendor/idb/index.js",
    "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "vendor/leaflet.markercluster/MarkerCluster.css", "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "vendor/leaflet/images/marker-icon.png", "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png", "img/samenlab-icon.svg",
]
