"""/api/docs/: Redoc served from our static files under the site's Content-Security-Policy."""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView


@method_decorator(csp_update({"worker-src": ["'self'", "blob:"]}), name="get")
class ApiDocsView(SpectacularRedocView):
    """Redoc renders the schema in a web worker it starts from a ``blob:`` URL; nothing else is relaxed."""

    template_name = "api/redoc.html"
