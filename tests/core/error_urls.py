"""The site's URLs plus a few views that fail on purpose, with the site's own error handlers."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config import urls as site
from core.permissions import Refused


def boom(request):
    raise RuntimeError("kapot")


def suspicious(request):
    raise SuspiciousOperation("vreemd verzoek")


def plain_no(request):
    raise PermissionDenied("interne reden")


def refused(request):
    raise Refused("Dit initiatief wordt nu beoordeeld. U kunt het weer bewerken als het terugkomt.",
                  back_url="/initiatieven/1/", back_label="Terug naar uw initiatief")


def refused_elsewhere(request):
    raise Refused("Nee.", back_url="https://evil.example/", back_label="Klik hier")


urlpatterns = [
    path("test-fout/500/", boom),
    path("test-fout/400/", suspicious),
    path("test-fout/403/", plain_no),
    path("test-fout/geweigerd/", refused),
    path("test-fout/geweigerd-elders/", refused_elsewhere),
    *site.urlpatterns,
]

handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
