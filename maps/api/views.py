"""/api/v1/ for walks, sign-ups, observations (idempotent by client id), photos and triage.

The same selectors, services and rules as the pages. What a viewer may not see answers 404; a rule that
says no answers 403; bad input 400; a step the current state does not allow 409 (``core.api``).
"""

import json

from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import Kern, User
from core.permissions import require, visible_or_404
from initiatives.images import process_image
from live.services import last_seq
from maps import selectors, services
from maps.api.serializers import (
    FEATURE,
    FEATURE_COLLECTION,
    OVERVIEW_COLLECTION,
    CorrectSerializer,
    MergeSerializer,
    ObservationCreateSerializer,
    PhotoSerializer,
    PhotoUploadSerializer,
    TriageSerializer,
    WalkPlanSerializer,
    WalkSerializer,
)
from maps.geojson_sql import overview_features, parse_cursor
from maps.models import Observation, ObservationTheme, Walk
from maps.services.observations import observation_message

GEOJSON_PAGE = 5000
# A map asks for a region page by page; a page of 1,000 is drawn at once and costs the database ~2 ms.
OVERVIEW_PAGE = 1000
GEOJSON_MAX_PAGE = 10000


def _walks():
    return (Walk.objects.select_related("kern").annotate(signup_count=Count("signups", distinct=True))
            .prefetch_related("organisers"))


def _walk(pk) -> Walk:
    return get_object_or_404(_walks(), pk=pk)


def _observation(request, pk) -> Observation:
    queryset = selectors.visible_observations(request.user).select_related("walk__kern", "author")
    return visible_or_404(request.user, "maps.view_observation", queryset, pk=pk)


class StrictQuery(serializers.Serializer):
    """Query parameters: a value the schema does not allow is refused (400), never ignored."""

    def to_internal_value(self, data):
        blank = {name: ["Laat dit weg of kies een waarde."] for name in self.fields if data.get(name) == ""}
        if blank:
            raise ValidationError(blank)
        return super().to_internal_value(data)


class WalkQuery(StrictQuery):
    kern = serializers.SlugField(required=False, help_text="Slug of a kern")
    upcoming = serializers.BooleanField(required=False, default=False)


BBOX_HELP = "west,zuid,oost,noord in graden, bijvoorbeeld 4.7,51.8,5.0,52.0."
CURSOR_HELP = "Gebruik de link 'next' van de vorige pagina; die weet waar de volgende begint."


class BBoxQuery(StrictQuery):
    bbox = serializers.CharField(required=False, help_text="west,south,east,north in degrees (WGS84)")

    def validate_bbox(self, value):
        try:
            return selectors.parse_bbox(value)
        except ValueError:
            raise serializers.ValidationError(BBOX_HELP) from None


class GeoQuery(BBoxQuery):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=GEOJSON_MAX_PAGE, default=GEOJSON_PAGE)
    after = serializers.IntegerField(required=False, min_value=0, default=0,
                                     help_text="The last id of the previous page")


class OverviewQuery(BBoxQuery):
    limit = serializers.IntegerField(required=False, min_value=1, max_value=GEOJSON_MAX_PAGE,
                                     default=OVERVIEW_PAGE)
    after = serializers.CharField(required=False, max_length=60,
                                  help_text="Where the previous page ended: take it from that page's `next` link")

    def validate(self, attrs):
        try:
            attrs["after"] = parse_cursor(attrs.get("after", ""), positional=bool(attrs.get("bbox")))
        except ValueError:
            raise ValidationError({"after": [CURSOR_HELP]}) from None
        return attrs


class NearbyQuery(StrictQuery):
    theme = serializers.ChoiceField(choices=ObservationTheme.choices)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)


class WalkList(generics.ListCreateAPIView):
    """Walks, soonest first; ``?kern=<slug>`` for one kern, ``?upcoming=true`` for those still to come.
    POST plans a walk (the kern's council or staff)."""

    serializer_class = WalkSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    query_serializer = WalkQuery

    @extend_schema(parameters=[WalkQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = WalkQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        walks = _walks().order_by("starts_at", "pk")
        if query.validated_data.get("kern"):
            walks = walks.filter(kern__slug=query.validated_data["kern"])
        if query.validated_data["upcoming"]:
            walks = walks.filter(pk__in=Walk.objects.upcoming().values("pk"))
        return walks

    @extend_schema(request=WalkPlanSerializer, responses={201: WalkSerializer})
    def post(self, request, *args, **kwargs):
        data = WalkPlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        kern = Kern.objects.filter(slug=values.pop("kern")).first()
        if kern is None:
            raise ValidationError({"kern": ["Deze kern bestaat niet."]})
        walk = services.plan_walk(actor=request.user, kern=kern, **values)
        return Response(WalkSerializer(_walk(walk.pk)).data, status=status.HTTP_201_CREATED)


class WalksGeoJSON(APIView):
    """Walks as GeoJSON: the route as a LineString (or the meeting point); ``bbox`` filters on the meeting point."""

    permission_classes = [permissions.AllowAny]
    serializer_class = serializers.Serializer
    query_serializer = GeoQuery

    @extend_schema(parameters=[GeoQuery], operation_id="walks_geojson",
                   responses={200: OpenApiResponse(FEATURE_COLLECTION)})
    def get(self, request):
        query = GeoQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        walks = Walk.objects.select_related("kern").filter(pk__gt=query.validated_data["after"]).order_by("pk")
        if query.validated_data.get("bbox"):
            west, south, east, north = query.validated_data["bbox"]
            walks = walks.filter(meeting_longitude__gte=west, meeting_longitude__lte=east,
                                 meeting_latitude__gte=south, meeting_latitude__lte=north)
        limit = min(query.validated_data["limit"], WALKS_PAGE)
        page = list(walks[:limit])
        body = {"type": "FeatureCollection", "features": [_walk_feature(walk) for walk in page], "next": None}
        if len(page) == limit:
            params = request.query_params.copy()
            params["after"] = str(page[-1].pk)
            body["next"] = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        response = Response(body)
        response["Content-Type"] = "application/geo+json"
        return response


WALKS_PAGE = 500


def _walk_feature(walk: Walk) -> dict:
    if len(walk.route) >= 2:
        geometry = {"type": "LineString", "coordinates": walk.route}
    elif walk.meeting_latitude is not None:
        geometry = {"type": "Point", "coordinates": [float(walk.meeting_longitude), float(walk.meeting_latitude)]}
    else:
        geometry = None
    return {"type": "Feature", "id": walk.pk, "geometry": geometry, "properties": {
        "id": walk.pk, "title": walk.title, "kern": walk.kern.name, "state": walk.state,
        "starts_at": walk.starts_at.isoformat(), "ends_at": walk.ends_at.isoformat(),
        "meeting_point": walk.meeting_point, "url": walk.get_absolute_url()}}


class WalkDetail(generics.RetrieveAPIView):
    serializer_class = WalkSerializer
    permission_classes = [permissions.AllowAny]

    def get_object(self):
        return _walk(self.kwargs["pk"])


class WalkSignup(APIView):
    """POST: sign up (again: no change). DELETE: sign off."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.Serializer
    api_errors = {"409"}

    @extend_schema(request=None, responses={200: WalkSerializer})
    def post(self, request, pk):
        services.sign_up(user=request.user, walk=_walk(pk))
        return Response(WalkSerializer(_walk(pk)).data)

    @extend_schema(request=None, responses={200: WalkSerializer})
    def delete(self, request, pk):
        services.cancel_signup(user=request.user, walk=_walk(pk))
        return Response(WalkSerializer(_walk(pk)).data)


def _geojson(request, *, walk_id=None, extra=None) -> Response:
    query = GeoQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    limit = query.validated_data["limit"]
    rows = selectors.observation_rows(request.user, bbox=query.validated_data.get("bbox"), walk_id=walk_id,
                                      after_id=query.validated_data["after"], limit=limit)
    labels, media = selectors.choice_labels(), settings.MEDIA_URL
    body = {"type": "FeatureCollection", "features": [selectors.row_feature(r, labels=labels, media_url=media)
                                                      for r in rows], **(extra or {})}
    body["next"] = None
    if len(rows) == limit:
        query = request.query_params.copy()
        query["after"] = str(rows[-1]["pk"])
        body["next"] = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    response = Response(body)
    response["Content-Type"] = "application/geo+json"
    response["Cache-Control"] = "private, max-age=0" if request.user.is_authenticated else "public, max-age=60"
    return response


class ObservationsGeoJSON(APIView):
    """Observations the viewer may see as GeoJSON (public after triage; all of a walk one takes part in)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = serializers.Serializer
    query_serializer = OverviewQuery

    @extend_schema(parameters=[OverviewQuery], operation_id="observations_geojson",
                   responses={(200, "application/geo+json"): OpenApiResponse(OVERVIEW_COLLECTION)})
    def get(self, request):
        query = OverviewQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        bbox, after = query.validated_data.get("bbox"), query.validated_data.get("after")
        queryset = selectors.overview_observations(request.user, bbox=bbox)
        features, cursor = overview_features(queryset, limit=query.validated_data["limit"], after=after,
                                             positional=bool(bbox))
        following = None
        if cursor is not None:
            params = request.query_params.copy()
            params["after"] = cursor
            following = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        # The database wrote the features; they are passed on as they are, not parsed and written again.
        body = f'{{"type":"FeatureCollection","features":{features},"next":{json.dumps(following)}}}'
        response = HttpResponse(body, content_type="application/geo+json")
        response["Cache-Control"] = "private, max-age=0" if request.user.is_authenticated else "public, max-age=60"
        return response


class WalkObservations(APIView):
    """GET: the walk's observations the viewer may see, with the live stream's position (``last_seq``).
    POST: record one; the same ``client_id`` again answers 200 with the first one and changes nothing."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = ObservationCreateSerializer
    query_serializer = GeoQuery
    api_errors = {"409"}

    @extend_schema(parameters=[GeoQuery], responses={200: OpenApiResponse(FEATURE_COLLECTION)})
    def get(self, request, pk):
        walk = _walk(pk)
        return _geojson(request, walk_id=walk.pk, extra={"last_seq": last_seq(walk.stream)})

    @extend_schema(request=ObservationCreateSerializer,
                   responses={201: OpenApiResponse(FEATURE), 200: OpenApiResponse(FEATURE)})
    def post(self, request, pk):
        walk = _walk(pk)
        data = ObservationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        observation, created = services.record_observation(actor=request.user, walk=walk, **data.validated_data)
        return Response(observation_message(observation),
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class NearbyObservations(APIView):
    """Observations of the same theme within 25 m of a point on this walk: "is dit dezelfde?"."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.Serializer
    query_serializer = NearbyQuery

    @extend_schema(parameters=[NearbyQuery], responses={200: OpenApiResponse(FEATURE_COLLECTION)})
    def get(self, request, pk):
        walk = _walk(pk)
        require(request.user, "maps.follow_walk_live", walk)
        query = NearbyQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = services.same_theme_nearby(walk=walk, theme=query.validated_data["theme"],
                                           latitude=query.validated_data["lat"], longitude=query.validated_data["lng"])
        return Response({"type": "FeatureCollection", "features": [observation_message(o) for o in found]})


class ObservationPhotos(APIView):
    """Add one photo (multipart ``photo``); the same ``client_id`` again answers 200 and stores nothing."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PhotoUploadSerializer
    api_errors = {"409"}

    @extend_schema(request={"multipart/form-data": PhotoUploadSerializer},
                   responses={201: PhotoSerializer, 200: PhotoSerializer})
    def post(self, request, pk):
        observation = _observation(request, pk)
        data = PhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo, created = services.add_observation_photo(
            actor=request.user, observation=observation, client_id=data.validated_data["client_id"],
            image=_processed(observation, data.validated_data), alt_text=data.validated_data["alt_text"])
        return Response(PhotoSerializer(photo).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _processed(observation, values):
    """Process the photo unless this client id was stored before (a retry costs no decoding)."""
    existing = observation.photos.filter(client_id=values["client_id"]).first()
    if existing is not None:
        return None
    return process_image(values["photo"])


class ObservationDetail(APIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = serializers.Serializer

    @extend_schema(responses={200: OpenApiResponse(FEATURE)})
    def get(self, request, pk):
        return Response(observation_message(_observation(request, pk)))


class Triage(APIView):
    """Decide about one or a bundle of observations of this walk: report, initiative, no action or praise."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = TriageSerializer
    api_errors = {"409"}

    @extend_schema(request=TriageSerializer, responses={200: OpenApiResponse(FEATURE_COLLECTION)})
    def post(self, request, pk):
        walk = _walk(pk)
        data = TriageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        ids = _of_walk(walk, values["observations"])
        offer_to = get_object_or_404(User, pk=values["offer_to"]) if values.get("offer_to") else None
        decided = services.decide(actor=request.user, observations=ids, decision=values["decision"],
                                  reason=values["reason"], offer_to=offer_to)
        return Response({"type": "FeatureCollection", "features": [observation_message(o) for o in decided]})


def _of_walk(walk: Walk, ids: list[int]) -> list[int]:
    """The ids, all of this walk: an id of another walk (or none at all) answers 404 like a missing one."""
    found = set(walk.observations.filter(pk__in=ids).values_list("pk", flat=True))
    if found != set(ids):
        from django.http import Http404

        raise Http404
    return sorted(found)


class Merge(APIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MergeSerializer
    api_errors = {"409"}

    @extend_schema(request=MergeSerializer, responses={200: OpenApiResponse(FEATURE)})
    def post(self, request, pk):
        walk = _walk(pk)
        data = MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        _of_walk(walk, [values["survivor"], *values["duplicates"]])
        kept = services.merge(actor=request.user, survivor=values["survivor"], duplicates=values["duplicates"],
                              reason=values["reason"])
        return Response(observation_message(kept))


class Correct(APIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CorrectSerializer

    @extend_schema(request=CorrectSerializer, responses={200: OpenApiResponse(FEATURE)})
    def post(self, request, pk):
        observation = _observation(request, pk)
        data = CorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kept = services.correct(actor=request.user, observation=observation, **data.validated_data)
        return Response(observation_message(kept))
