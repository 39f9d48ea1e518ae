"""Map pages and walk pages; thin: they validate, call one service, and render."""

from maps.views.places import initiatives_geojson, initiatives_map, municipality

__all__ = ["initiatives_geojson", "initiatives_map", "municipality"]
