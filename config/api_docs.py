"""/api/docs/: Redoc served from our static files under the site's Content-Security-Policy."""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView
from rest_framework.decorators import api_view, authentication_classes, permission_classes, schema
from rest_framework.exceptions import NotFound


@method_decorator(csp_update({"worker-src": ["'self'", "blob:"]}), name="get")
class ApiDocsView(SpectacularRedocView):
    """Redoc renders the schema in a web worker it starts from a ``blob:`` URL; nothing else is relaxed."""

    template_name = "api/redoc.html"


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([])
@schema(None)
def api_not_found(request, *args, **kwargs):
    """An unknown path (or an id that is not a number) under /api/: the API's own 404 body."""
    raise NotFound
