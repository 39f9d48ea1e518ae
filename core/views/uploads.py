"""Views of the shared infrastructure: serving uploaded files through their object's rule."""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe

from core import files

# Uploaded files are images and exports, never pages: nothing in them may run or load anything.
UPLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


@require_safe
def serve_upload(request, path: str):
    """``MEDIA_URL<path>``: the file if the visitor may see the object it belongs to, else 404.

    A refusal answers exactly like a file that does not exist. With ``MEDIA_ACCEL_REDIRECT`` set (in
    production, behind nginx) the answer is empty and tells the front server which internal location to
    send (``X-Accel-Redirect``); otherwise Django streams the file itself. Public objects' files may be
    cached by anyone for ``MEDIA_PUBLIC_MAX_AGE`` seconds; other files by no one.
    """
    decision = files.decide(request.user, path, request=request)
    if decision is None:
        raise Http404
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    accel = settings.MEDIA_ACCEL_REDIRECT
    if accel:
        if not default_storage.exists(path):  # answer a missing file here, the same in both modes
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(path)
    else:
        try:
            handle = default_storage.open(path, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError, SuspiciousFileOperation):
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    if decision.public:
        response["Cache-Control"] = f"public, max-age={settings.MEDIA_PUBLIC_MAX_AGE}"
    else:
        response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CSP
    return response
