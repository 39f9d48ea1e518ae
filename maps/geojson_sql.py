"""The overview GeoJSON of observations, written by the database itself (SQLite's and PostgreSQL's JSON functions).

Ten thousand observations as Python dicts and ``json.dumps`` cost ~250 ms of one core; the database writes
the same array in a fraction of that (decision 26). The rows are chosen by the same queryset as everywhere
(``selectors.visible_observations``): only the writing of the JSON moves, never the question who may see what.
"""

from __future__ import annotations

from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    JSONField,
    Max,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, JSONObject, Round
from django.urls import reverse


class JSONArray(Func):
    """``[a, b]`` as JSON: ``json_array`` on SQLite, ``jsonb_build_array`` on PostgreSQL."""

    function = "JSON_ARRAY"

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_BUILD_ARRAY", **extra_context)


class JSONArrayOf(Aggregate):
    """All values of a group as one JSON array, as text, in the order of ``order_by`` (PostgreSQL) or of the
    scan (SQLite, whose planner walks an ``id IN (…)`` set in id order)."""

    function = "JSON_GROUP_ARRAY"
    output_field = TextField()

    def __init__(self, expression, *, ordering: str = "id", **extra):
        self.ordering = ordering
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        table = compiler.query.get_meta().db_table
        order = f'"{table}"."{self.ordering}"'
        return super().as_sql(compiler, connection, function="JSON_AGG",
                              template=f"COALESCE(%(function)s(%(expressions)s ORDER BY {order}), '[]')::text",
                              **extra_context)


def _label(field: str, choices) -> Case:
    return Case(*[When(**{field: key}, then=Value(str(label))) for key, label in choices], default=Value(""),
                output_field=CharField())


def overview_features(queryset, *, limit: int) -> tuple[str, int | None]:
    """The first ``limit`` observations of ``queryset`` (by id) as a JSON array of GeoJSON Features, and the id to
    continue after when the page is full (else None). One query.

    Precondition: ``queryset`` holds only what the viewer may see. Each feature carries what the overview map
    shows; photos, the melding and the walker's name are on the observation's own page and in the walk's feed.
    """
    from maps.models import Observation, ObservationState, ObservationTheme

    page = queryset.order_by("pk").values("pk")[:limit]
    url_prefix = reverse("maps:observation", kwargs={"pk": 0})[:-2]
    point = JSONObject(type=Value("Point"), coordinates=JSONArray(
        Round(Cast("longitude", FloatField()), 6), Round(Cast("latitude", FloatField()), 6)))
    feature = JSONObject(
        type=Value("Feature"),
        id=F("pk"),
        geometry=Case(When(latitude__isnull=False, then=point), default=Value(None), output_field=JSONField()),
        properties=JSONObject(
            id=F("pk"), walk=F("walk_id"), theme=F("theme"), theme_label=_label("theme", ObservationTheme.choices),
            kind=F("kind"), description=F("description"), crow_score=F("crow_score"), address=F("address"),
            place_description=F("place_description"), state=F("state"),
            state_label=_label("state", ObservationState.choices), reason=F("decision_reason"),
            url=Concat(Value(url_prefix), Cast("pk", CharField()), Value("/"), output_field=CharField()),
        ),
    )
    found = Observation.objects.filter(pk__in=page).aggregate(
        features=JSONArrayOf(feature), count=Count("pk"), last=Max("pk", filter=Q(pk__isnull=False)))
    return found["features"] or "[]", (found["last"] if found["count"] == limit else None)
