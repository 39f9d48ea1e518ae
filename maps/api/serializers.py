"""How walks and observations look in /api/v1/. Writes go through ``maps.services``, never ``.save()``."""

from django.urls import reverse
from rest_framework import serializers

from maps.models import CrowScore, ObservationKind, ObservationState, ObservationTheme, Walk, WalkState
from maps.services.triage import DECISIONS


class OrganiserSerializer(serializers.Serializer):
    name = serializers.CharField(source="display_name")


class WalkSerializer(serializers.ModelSerializer):
    kern = serializers.CharField(source="kern.name")
    kern_slug = serializers.CharField(source="kern.slug")
    url = serializers.SerializerMethodField()
    organisers = OrganiserSerializer(many=True)
    signup_count = serializers.IntegerField(read_only=True)
    state = serializers.ChoiceField(choices=WalkState.choices)

    class Meta:
        model = Walk
        fields = ["id", "title", "description", "kern", "kern_slug", "starts_at", "ends_at", "meeting_point",
                  "meeting_latitude", "meeting_longitude", "route", "route_description", "themes",
                  "max_participants", "signup_count", "state", "organisers", "observations_public", "url"]

    def get_url(self, walk) -> str:
        return walk.get_absolute_url()


class WalkPlanSerializer(serializers.Serializer):
    kern = serializers.SlugField()
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    meeting_point = serializers.CharField(max_length=200)
    meeting_latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    meeting_longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    route = serializers.ListField(child=serializers.ListField(child=serializers.FloatField(), min_length=2,
                                                              max_length=2), required=False, max_length=500)
    route_description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    themes = serializers.ListField(child=serializers.ChoiceField(choices=ObservationTheme.choices), min_length=1)
    max_participants = serializers.IntegerField(min_value=1, max_value=500, required=False, allow_null=True)
    observations_public = serializers.BooleanField(required=False, default=False)


class ObservationCreateSerializer(serializers.Serializer):
    """One observation; ``client_id`` (a UUID made on the phone) makes every retry return the first one."""

    client_id = serializers.UUIDField()
    theme = serializers.ChoiceField(choices=ObservationTheme.choices)
    kind = serializers.ChoiceField(choices=ObservationKind.choices, required=False, default=ObservationKind.PROBLEM)
    description = serializers.CharField(max_length=2000)
    crow_score = serializers.ChoiceField(choices=CrowScore.choices, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False, allow_null=True,
                                        coerce_to_string=False)
    longitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False, allow_null=True,
                                         coerce_to_string=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    place_description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    observed_at = serializers.DateTimeField(required=False, allow_null=True)


class PhotoUploadSerializer(serializers.Serializer):
    client_id = serializers.UUIDField()
    photo = serializers.FileField()
    alt_text = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    client_id = serializers.UUIDField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt_text = serializers.CharField()


class TriageSerializer(serializers.Serializer):
    observations = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)
    decision = serializers.ChoiceField(choices=[(d.value, d.label) for d in DECISIONS])
    reason = serializers.CharField(max_length=2000)
    offer_to = serializers.IntegerField(min_value=1, required=False, allow_null=True,
                                        help_text="For 'initiative': the id of the observer or a council member.")


class MergeSerializer(serializers.Serializer):
    survivor = serializers.IntegerField(min_value=1)
    duplicates = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)
    reason = serializers.CharField(max_length=2000)


class CorrectSerializer(serializers.Serializer):
    theme = serializers.ChoiceField(choices=ObservationTheme.choices, required=False)
    latitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False)
    longitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=2000)


# The GeoJSON answers, described for the schema.
FEATURE_COLLECTION = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"type": "object"}},
        "next": {"type": ["string", "null"]},
        "last_seq": {"type": "integer"},
    },
}
FEATURE = {"type": "object", "properties": {"type": {"type": "string", "enum": ["Feature"]},
                                            "geometry": {"type": ["object", "null"]},
                                            "properties": {"type": "object"}}}

# The overview map's feature (maps/geojson_sql.py): what a map needs to draw and group a point; the rest is
# behind ``url`` and /api/v1/observations/<id>/.
OVERVIEW_FEATURE = {
    "type": "object",
    "required": ["type", "id", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "integer"},
        "geometry": {"oneOf": [{"type": "null"}, {
            "type": "object", "required": ["type", "coordinates"],
            "properties": {"type": {"type": "string", "enum": ["Point"]},
                           "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2,
                                           "maxItems": 2}}}]},
        "properties": {
            "type": "object",
            "required": ["walk", "theme", "theme_label", "kind", "crow_score", "state", "url"],
            "properties": {
                "walk": {"type": "integer"},
                "theme": {"type": "string", "enum": ObservationTheme.values},
                "theme_label": {"type": "string"},
                "kind": {"type": "string", "enum": ObservationKind.values},
                "crow_score": {"type": "string", "enum": ["", *CrowScore.values]},
                "state": {"type": "string", "enum": ObservationState.values},
                "url": {"type": "string"},
            },
        },
    },
}
OVERVIEW_COLLECTION = {
    "type": "object",
    "required": ["type", "features", "next"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": OVERVIEW_FEATURE},
        "next": {"type": ["string", "null"], "description": "The next page of the same question, or null"},
    },
}

STATE_CHOICES = ObservationState.choices


def walk_url(walk) -> str:
    return reverse("maps:walk", kwargs={"pk": walk.pk})
