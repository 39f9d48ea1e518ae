"""Views of the shared infrastructure: the error pages, and uploaded files served through their object's rule."""

from core.views.errors import bad_request, fallback_page, page_not_found, permission_denied, server_error
from core.views.uploads import serve_upload

__all__ = ["bad_request", "fallback_page", "page_not_found", "permission_denied", "serve_upload", "server_error"]
