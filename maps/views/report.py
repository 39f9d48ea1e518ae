"""The walk's report: what was seen and decided, per theme and per stretch of the route; for the walkers,
the council and the public, as a page and as PDF, CSV and GeoJSON. Each shows only what the viewer may
see (``maps.report.data``), so none of them is cached for others."""

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from core.permissions import require
from maps.report import build_report, exports, texts
from maps.report.pdf import render_pdf
from maps.views.walks import _walk_or_404


def _report_for(request, pk: int):
    walk = _walk_or_404(pk)
    require(request.user, "maps.view_walk", walk)
    return build_report(walk, request.user)


def _private(response, filename: str = ""):
    patch_cache_control(response, private=True, no_cache=True)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(walk, extension: str) -> str:
    return f"wijkschouw-{walk.pk}-verslag.{extension}"


def report(request, pk: int):
    data = _report_for(request, pk)
    return _private(render(request, "maps/report.html", {
        "walk": data.walk, "report": data, "summary": texts.summary_lines(data), "segment_rule": texts.segment_rule(),
        "segment_rows": [{"segment": s, "stretch": texts.stretch(s), "verdict": texts.verdict(s),
                          "below": texts.below_target(s)} for s in data.segments],
    }))


def report_pdf(request, pk: int):
    data = _report_for(request, pk)
    response = HttpResponse(render_pdf(data, absolute=request.build_absolute_uri), content_type="application/pdf")
    return _private(response, _filename(data.walk, "pdf"))


def report_csv(request, pk: int):
    data = _report_for(request, pk)
    response = HttpResponse(exports.csv_bytes(data, absolute=request.build_absolute_uri),
                            content_type="text/csv; charset=utf-8")
    return _private(response, _filename(data.walk, "csv"))


def report_geojson(request, pk: int):
    crs = exports.CRS_CHOICES.get(request.GET.get("crs", ""))
    if crs is None:
        return HttpResponseBadRequest(_("Kies crs=4326 (lengte- en breedtegraad) of crs=28992 (RD New)."),
                                      content_type="text/plain; charset=utf-8")
    data = _report_for(request, pk)
    response = JsonResponse(exports.geojson(data, crs=crs, absolute=request.build_absolute_uri),
                            content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})
    return _private(response, _filename(data.walk, "geojson"))
