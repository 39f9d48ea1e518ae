"""/api/v1/ for what comes out of a workshop: the exports to take away and what happens with each idea.

The same rule as the results (``lab.view_results``): for a viewer it says no to, the workshop's outcome is not
there (404, as on the results page). The files are the page's own (``views.outcomes.render_export``), dots only
for who may ``lab.view_votes``. No answer names a participant or carries a device token.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from core.permissions import may
from lab.models import IdeaFollowUp, Lane, Workshop
from lab.workshops.api.serializers import ExportQuery, ExportsSerializer, FollowUpSerializer
from lab.workshops.api.views import WorkshopAPIView, _valid
from lab.workshops.seats import At
from lab.workshops.views.outcomes import EXPORTS, render_export

TITLES = {
    "poster.pdf": gettext_lazy("De klantreis als poster (PDF, A2)"),
    "verslag.pdf": gettext_lazy("Verslag (PDF, A4)"),
    "kaart.png": gettext_lazy("De klantreis als afbeelding (PNG)"),
    "kaartjes.csv": gettext_lazy("Alle kaartjes (CSV)"),
    "klantreis.json": gettext_lazy("De klantreis als gegevens (JSON)"),
}
LANE_TITLE = gettext_lazy("Kaartjes van de rij “%(lane)s” (CSV)")
BINARY = OpenApiResponse(OpenApiTypes.BINARY, description="The file, as an attachment (Content-Disposition).")


class ResultsAPIView(WorkshopAPIView):
    def results_place(self, pk) -> At:
        """The workshop and the viewer's seat in it, if they may see its results; else 404 (as the page)."""
        workshop = self.workshop(pk)
        place = At(self.seat(workshop), workshop)
        if not may(self.request.user, "lab.view_results", place):
            raise Http404
        return place


def _entry(request, workshop: Workshop, name: str, lane: Lane | None = None, position: int | None = None) -> dict:
    query = f"?rij={position}" if lane is not None else ""
    api = reverse("api:workshops-export", kwargs={"pk": workshop.pk, "name": name})
    return {"name": name, "media_type": EXPORTS[name][0], "lane": position,
            "title": _(LANE_TITLE) % {"lane": lane.title} if lane is not None else str(TITLES[name]),
            "url": request.build_absolute_uri(api) + query,
            "page_url": reverse("lab:export", args=[workshop.pk, name]) + query}


class Exports(ResultsAPIView):
    """The files the viewer may take away: the poster, the report, the map as a picture, the cards as CSV (all of
    them, and one file per lane) and the journey as data."""

    serializer_class = ExportsSerializer

    @extend_schema(operation_id="workshops_exports_list", responses={200: ExportsSerializer})
    def get(self, request, pk):
        workshop = self.results_place(pk).workshop
        entries = []
        for name in EXPORTS:
            entries.append(_entry(request, workshop, name))
            if name == "kaartjes.csv":
                entries += [_entry(request, workshop, name, lane, position)
                            for position, lane in enumerate(Lane.objects.filter(workshop=workshop))]
        return Response({"workshop": workshop.pk, "exports": entries,
                         "journey_schema": reverse("lab:journey_schema")})


class Export(ResultsAPIView):
    """One file, the same bytes as the results page gives; ``kaartjes.csv?rij=<n>``: the cards of one lane (by its
    position). Dots only once the facilitator showed them."""

    serializer_class = ExportQuery
    query_serializer = ExportQuery

    def perform_content_negotiation(self, request, force=False):
        # A client may ask for the file's own type (Accept: application/pdf); an error is still JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="workshops_export_retrieve",
        parameters=[ExportQuery, OpenApiParameter("name", str, OpenApiParameter.PATH, enum=list(EXPORTS))],
        responses={(200, "application/pdf"): BINARY, (200, "image/png"): BINARY, (200, "text/csv"): BINARY,
                   (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT,
                                                              description="klantreis.json (see journey_schema).")})
    def get(self, request, pk, name):
        if name not in EXPORTS:
            raise Http404
        lane = _valid(ExportQuery, request.query_params).get("rij")
        place = self.results_place(pk)
        return render_export(place.workshop, name, lane=lane,
                             with_dots=may(request.user, "lab.view_votes", place))


class FollowUps(generics.ListAPIView, ResultsAPIView):
    """What happens with the ideas, as the results page shows it: a draft initiative or an action of the
    municipality, and how far it got. Of the shared cards only, in the board's order."""

    serializer_class = FollowUpSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IdeaFollowUp.objects.none()
        workshop = self.results_place(self.kwargs["pk"]).workshop
        return (IdeaFollowUp.objects.filter(card__workshop=workshop, card__merged_into__isnull=True,
                                            card__private=False)
                .select_related("card", "initiative").order_by("card__order", "card__pk"))
