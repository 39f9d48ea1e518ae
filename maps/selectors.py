"""Reads of walks and observations: only what the viewer may see, in a fixed number of queries.

``visible_observations`` is the list form of the rule ``maps.view_observation`` (tests/maps check the two
agree for every role); the GeoJSON of 10,000 observations is built from ``values()`` rows, not objects.
"""

from __future__ import annotations

from django.db.models import Count, F, FloatField, Func, Prefetch, Q, Value
from django.db.models.functions import Cast
from django.urls import reverse

from community.rules import council_kern_ids, is_staff
from maps.models import Observation, ObservationState, Walk, WalkSignup
from maps.models.handoff import number_of
from maps.models.observations import TRIAGED_STATES

PUBLIC_OBSERVATION = (Q(state__in=TRIAGED_STATES)
                      | (Q(walk__observations_public=True) & ~Q(state=ObservationState.MERGED)))


def walks_taking_part(user):
    """Ids of walks ``user`` walks along (signed up, organiser, council of the kern), as a subquery."""
    condition = Q(pk__in=WalkSignup.objects.filter(user_id=user.pk).values("walk_id")) | Q(organisers=user)
    kern_ids = council_kern_ids(user)
    if kern_ids:
        condition |= Q(kern_id__in=kern_ids)
    return Walk.objects.filter(condition).values("pk")


def visible_observations(user):
    """Observations ``user`` may see: public ones for everyone; every one of a walk they take part in."""
    queryset = Observation.objects.all()
    if is_staff(user):
        return queryset
    condition = PUBLIC_OBSERVATION
    if user is not None and user.is_authenticated and user.is_active:
        condition = condition | Q(author_id=user.pk) | Q(walk_id__in=walks_taking_part(user))
    return queryset.filter(condition)


def overview_observations(user, *, bbox=None):
    """What the overview map shows ``user``: the visible observations (a merged one is in its survivor), within
    ``bbox`` (west, south, east, north) when given."""
    queryset = visible_observations(user).exclude(state=ObservationState.MERGED)
    if bbox:
        west, south, east, north = (degrees(value) for value in bbox)
        queryset = queryset.filter(longitude__gte=west, longitude__lte=east, latitude__gte=south,
                                   latitude__lte=north)
    return queryset


class Degrees(Func):
    """A coordinate to compare with a stored one, bound as a number: SQLite compares a text parameter (Django's
    form of a Decimal) with a stored number row by row, ~0.5 ms a page of a box; PostgreSQL gets it as
    ``numeric``, the column's own type, so the position index still applies."""

    template = "%(expressions)s"
    output_field = FloatField()

    def __init__(self, value):
        super().__init__(Value(float(value)))

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s)::numeric", **extra_context)


def degrees(value) -> Degrees:
    return Degrees(value)


def walk_with_counts(pk: int):
    """The walk with its kern, its number of sign-ups, and its organisers with their faces (three queries)."""
    from community.models import User

    organisers = Prefetch("organisers", queryset=User.objects.select_related("staff_profile__photo"))
    return (Walk.objects.select_related("kern").annotate(signup_count=Count("signups", distinct=True))
            .prefetch_related(organisers).filter(pk=pk).first())


def observation_feature(observation: Observation, *, photos: list | None = None, outcome: dict | None = None) -> dict:
    """One observation as a GeoJSON Feature (geometry null when it was placed by words only)."""
    geometry = None
    if observation.latitude is not None:
        geometry = {"type": "Point", "coordinates": [float(observation.longitude), float(observation.latitude)]}
    author = observation.author
    return {
        "type": "Feature",
        "id": observation.pk,
        "geometry": geometry,
        "properties": {
            "id": observation.pk,
            "client_id": str(observation.client_id),
            "walk": observation.walk_id,
            "theme": observation.theme,
            "theme_label": str(observation.get_theme_display()),
            "kind": observation.kind,
            "description": observation.description,
            "crow_score": observation.crow_score,
            "address": observation.address,
            "place_description": observation.place_description,
            "observed_at": observation.observed_at.isoformat(),
            "state": observation.state,
            "state_label": str(observation.get_state_display()),
            "author": author.display_name if author is not None else "",
            "merged_into": observation.merged_into_id,
            "photos": photos if photos is not None else [],
            "outcome": outcome if outcome is not None else outcome_of(observation),
        },
    }


def outcome_of(observation: Observation) -> dict:
    """What happened with it: the melding's number and status, the initiative, or the reason."""
    outcome = {"reason": observation.decision_reason}
    if observation.state == ObservationState.REPORTED:
        report = getattr(observation, "report", None) if _has_report(observation) else None
        if report is not None:
            outcome.update({"number": report.number, "status": report.external_status_text
                            or report.external_status or str(report.get_state_display())})
    if observation.state == ObservationState.INITIATIVE and observation.initiative_id:
        from django.urls import reverse

        outcome["initiative_url"] = reverse("initiatives:detail", kwargs={"pk": observation.initiative_id})
    return outcome


def _has_report(observation: Observation) -> bool:
    from maps.models import MunicipalReport

    try:
        return observation.report is not None
    except MunicipalReport.DoesNotExist:
        return False


# --- GeoJSON lists: rows, not objects (10,000 observations in a handful of queries) ----------------------

GEOJSON_FIELDS = ("pk", "walk_id", "theme", "kind", "description", "crow_score", "address", "place_description",
                  "observed_at", "state", "decision_reason", "initiative_id")
# The coordinates come as floats straight from the database: the feature needs floats, and turning 20,000
# of them into Decimals first (as the field does) costs more than reading them. ``row_feature`` rounds them to
# the field's six decimals, which gives the same float as the Decimal would (SQLite keeps a REAL that can be
# one unit in the last place off the number written).
GEOJSON_POINT = {"lng": Cast("longitude", FloatField()), "lat": Cast("latitude", FloatField())}


def parse_bbox(value: str) -> tuple[float, float, float, float] | None:
    """``west,south,east,north`` in degrees (as OGC and GeoJSON), or None when absent; ValueError when wrong."""
    if not value:
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise ValueError("bbox")
    west, south, east, north = (float(part) for part in parts)
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):  # also false for NaN
        raise ValueError("bbox")
    return west, south, east, north


def observation_rows(user, *, bbox=None, walk_id: int | None = None, after_id: int = 0, limit: int = 1000) -> list:
    """Up to ``limit`` observations the viewer may see, by id after ``after_id`` (keyset paging), as dicts.

    Two queries (the rows with their melding; their photos), whatever the number. A merged observation
    is left out: its survivor stands for it. The coordinates are floats (``lat``, ``lng``), not Decimals.
    """
    from maps.models import ObservationPhoto

    queryset = visible_observations(user).exclude(state=ObservationState.MERGED).filter(pk__gt=after_id)
    if walk_id is not None:
        queryset = queryset.filter(walk_id=walk_id)
    if bbox is not None:
        west, south, east, north = bbox
        queryset = queryset.filter(longitude__gte=west, longitude__lte=east, latitude__gte=south,
                                   latitude__lte=north)
    page = queryset.order_by("pk")[:limit]
    rows = list(page.values(*GEOJSON_FIELDS, **GEOJSON_POINT, report_number=F("report__external_id"),
                            report_status=F("report__external_status_text")))
    if rows:
        photos: dict[int, list] = {}
        # The same page as a subquery: 10,000 ids as parameters cost more to build than the database needs
        # to find the page again.
        for photo in (ObservationPhoto.objects.filter(observation_id__in=page.values("pk"))
                      .order_by("order", "pk").values("observation_id", "alt_text", "renditions")):
            photos.setdefault(photo["observation_id"], []).append(photo)
        for row in rows:
            row["photos"] = photos.get(row["pk"], [])
    return rows


def row_feature(row: dict, *, labels: dict, media_url: str) -> dict:
    """A row of ``observation_rows`` as a GeoJSON Feature (no author: the overview map names nobody)."""
    geometry = None
    if row["lat"] is not None:
        geometry = {"type": "Point", "coordinates": [round(row["lng"], 6), round(row["lat"], 6)]}
    outcome = {"reason": row["decision_reason"]}
    if row["report_number"]:
        outcome.update({"number": number_of(row["report_number"]), "status": row["report_status"]})
    if row["initiative_id"]:
        outcome["initiative_url"] = reverse("initiatives:detail", kwargs={"pk": row["initiative_id"]})
    return {
        "type": "Feature",
        "id": row["pk"],
        "geometry": geometry,
        "properties": {
            "id": row["pk"], "walk": row["walk_id"], "theme": row["theme"], "theme_label": labels[row["theme"]],
            "kind": row["kind"], "description": row["description"], "crow_score": row["crow_score"],
            "address": row["address"], "place_description": row["place_description"],
            "observed_at": row["observed_at"].isoformat(), "state": row["state"],
            "state_label": labels[row["state"]], "outcome": outcome,
            "photos": [{"alt": p["alt_text"], "src": media_url + p["renditions"][0]["name"]}
                       for p in row["photos"] if p["renditions"]],
        },
    }


def choice_labels() -> dict:
    """Theme and state labels in the active language, once per request."""
    from maps.models import ObservationTheme

    return {**{key: str(label) for key, label in ObservationTheme.choices},
            **{key: str(label) for key, label in ObservationState.choices}}


def observation_list_html(request, walk, *, takes_part: bool) -> str:
    """The walk's observations as the text list of its map (``maps/includes/observation_list.html``).

    What a list shows depends only on whether the viewer walks along (every observation) or not (the public
    ones), so both versions are kept per page generation; every change to an observation starts a new one.
    A signed-in viewer who does not walk along but saw something on this walk gets a list of their own.
    """
    from django.template.loader import render_to_string

    from core.pagecache import shared_fragment

    user = request.user

    def render() -> str:
        observations = (visible_observations(user).filter(walk=walk).exclude(state=ObservationState.MERGED)
                        .select_related("author").prefetch_related("photos"))
        return render_to_string("maps/includes/observation_list.html", {"observations": observations})

    if not takes_part and user.is_authenticated and walk.observations.filter(author=user).exists():
        return render()
    return shared_fragment("walk-observations", walk.pk, "all" if takes_part else "public", render=render)
