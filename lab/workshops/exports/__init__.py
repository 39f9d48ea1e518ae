"""A workshop's journey map to take away: CSV per lane, PDF (a poster of the map, an A4 report) and PNG.

Every export is drawn from ``journey_json.export_journey``, so they all show the same shared cards, curves and
(only where the viewer may see them) dots. Nothing in them says who wrote a card.

The two PDFs also show each shared card's photo (its smallest stored size, scaled to fit) with what it shows.
The photos come beside the journey (``card_photos``, in the order of its ``cards``), never in it: the JSON and
a template made from it carry no photo. A photo whose file cannot be read is left out; its card's text stays.
"""

from lab.workshops.exports.journey_map import CURVE_HEIGHT, TOP_COUNT, draw_curve, lane_csv, map_png, top_cards
from lab.workshops.exports.pdf import POSTER_SIZE, poster_pdf, report_pdf
from lab.workshops.exports.photos import CardPhoto, card_photos

__all__ = ["CURVE_HEIGHT", "POSTER_SIZE", "TOP_COUNT", "CardPhoto", "card_photos", "draw_curve", "lane_csv", "map_png",
           "poster_pdf", "report_pdf", "top_cards"]
