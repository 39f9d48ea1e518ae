"""The overview GeoJSON of observations, written by the database itself (SQLite's and PostgreSQL's JSON functions).

Observations as Python dicts and ``json.dumps`` cost ~25 µs each; the database writes the same array in a
fraction of that (decision 26). The rows are chosen by the same queryset as everywhere
(``selectors.overview_observations``): only the writing of the JSON moves, never the question who may see what.
A page of a bounding box is read along the position index (decision 27).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models import Aggregate, F, Func, JSONField, Q, TextField
from django.urls import reverse
from django.utils.translation import get_language


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



# What a map needs to draw and group an observation, and its link. The words, photos and outcome are one click
# further, as on Signalen's public map: a page of a box stays a few milliseconds of the database's time.
FEATURE_COLUMNS = ("pk", "walk_id", "theme", "kind", "crow_score", "state", "latitude", "longitude")


class OverviewFeature(Func):
    """One observation as a GeoJSON Feature: ``{"type": "Feature", "id", "geometry": Point or null,
    "properties": {walk, theme, theme_label, kind, crow_score, state, url}}``.

    One expression written out by hand rather than a tree of ``JSONObject``/``Case``/``Concat``: the tree costs
    Python more to resolve and compile for each page than the database spends writing 1,000 features. Column
    names come from the compiler; the labels and the link are parameters.
    """

    output_field = JSONField()

    def __init__(self):
        super().__init__(*(F(column) for column in FEATURE_COLUMNS))

    def as_sql(self, compiler, connection, **extra_context):
        from maps.models import ObservationTheme

        columns = {}
        for name, expression in zip(FEATURE_COLUMNS, self.get_source_expressions(), strict=True):
            sql, params = compiler.compile(expression)
            assert not params  # plain columns
            columns[name] = sql
        postgres = connection.vendor == "postgresql"
        obj, array = ("JSONB_BUILD_OBJECT", "JSONB_BUILD_ARRAY") if postgres else ("JSON_OBJECT", "JSON_ARRAY")
        text = "%s::text" if postgres else "%s"  # PostgreSQL cannot guess the type of a bare parameter here
        labels = _theme_labels(ObservationTheme)
        label_sql = (f"CASE {columns['theme']} " + " ".join(f"WHEN {text} THEN {text}" for _ in labels)
                     + " ELSE '' END")
        pk = columns["pk"]
        sql = (
            f"{obj}('type', 'Feature', 'id', {pk}, 'geometry', CASE WHEN {columns['latitude']} IS NULL THEN NULL "
            f"ELSE {obj}('type', 'Point', 'coordinates', {array}({columns['longitude']}, {columns['latitude']})) "
            f"END, 'properties', {obj}('walk', {columns['walk_id']}, 'theme', {columns['theme']}, "
            f"'theme_label', {label_sql}, 'kind', {columns['kind']}, 'crow_score', {columns['crow_score']}, "
            f"'state', {columns['state']}, 'url', {text} || CAST({pk} AS TEXT) || '/'))"
        )
        params = [value for pair in labels for value in pair] + [_url_prefix()]
        return sql, params


def _theme_labels(themes) -> list[tuple[str, str]]:
    language = get_language()
    if language not in _LABELS:
        _LABELS[language] = [(key, str(label)) for key, label in themes.choices]
    return _LABELS[language]


_LABELS: dict[str, list[tuple[str, str]]] = {}


def _url_prefix() -> str:
    return reverse("maps:observation", kwargs={"pk": 0})[:-2]


# Within a bounding box the pages follow the position index (latitude, longitude, id): a page reads its own
# rows and nothing else, however many the box holds. Without a box they follow the id (the primary key), so
# observations placed by words only, which have no position, are listed too.
POSITION_ORDER = ("latitude", "longitude", "pk")
ID_ORDER = ("pk",)


def parse_cursor(value: str, *, positional: bool) -> tuple | None:
    """The ``after`` of a page as the ``next`` link wrote it: ``latitude,longitude,id`` within a bounding box,
    an id without one; None when absent. ValueError when it is not of that form."""
    if not value:
        return None
    parts = value.split(",")
    if len(parts) != (3 if positional else 1):
        raise ValueError("cursor")
    *position, pk = parts
    try:
        coordinates = tuple(Decimal(part) for part in position)
    except InvalidOperation:
        raise ValueError("cursor") from None
    if any(not c.is_finite() or abs(c) > 180 for c in coordinates) or not (pk.isdigit() and len(pk) <= 18):
        raise ValueError("cursor")
    return (*coordinates, int(pk))


def _beyond(cursor: tuple, *, inclusive: bool) -> Q:
    """Rows after ``cursor`` in its order (or up to and including it, negated by the caller)."""
    if len(cursor) == 1:
        return Q(pk__lte=cursor[0]) if inclusive else Q(pk__gt=cursor[0])
    from maps.selectors import degrees

    latitude, longitude, pk = degrees(cursor[0]), degrees(cursor[1]), cursor[2]
    if inclusive:  # up to and including the cursor; ``latitude__lte`` gives the index its range
        return Q(latitude__lte=latitude) & (Q(latitude__lt=latitude) | Q(latitude=latitude, longitude__lt=longitude)
                                            | Q(latitude=latitude, longitude=longitude, pk__lte=pk))
    return Q(latitude__gte=latitude) & (Q(latitude__gt=latitude) | Q(latitude=latitude, longitude__gt=longitude)
                                        | Q(latitude=latitude, longitude=longitude, pk__gt=pk))


def overview_features(queryset, *, limit: int, after: tuple | None = None,
                      positional: bool = False) -> tuple[str, str | None]:
    """A page of ``queryset`` as a JSON array of GeoJSON Features, and the cursor of the next page (else None).

    Two queries: the last row of the page, then the features up to and including it. The page is the range
    between two cursors, so a row added or removed meanwhile never shifts a row out of every page (a LIMIT
    over the features and a second look-up of the last row would). ``positional`` pages by position (only
    for a queryset limited to a bounding box: it has no rows without one), else by id.

    Precondition: ``queryset`` holds only what the viewer may see. Each feature carries what a map needs to
    draw and group it (place, theme, kind, state, score) and its link: as Signalen's public map, the words,
    photos and outcome are one click further (``url``; ``/api/v1/observations/<id>/``), so that a page of a
    box stays a few milliseconds of the database's time (decision 27).
    """
    order = POSITION_ORDER if positional else ID_ORDER
    if after is not None:
        queryset = queryset.filter(_beyond(after, inclusive=False))
    boundary = queryset.order_by(*order).values_list(*order)[limit - 1:limit].first()
    if boundary is not None:
        queryset = queryset.filter(_beyond(boundary, inclusive=True))
    features = queryset.aggregate(features=JSONArrayOf(OverviewFeature()))["features"]
    following = ",".join(str(value) for value in boundary) if boundary is not None else None
    return features or "[]", following
