"""ASGI entry point: HTTP through Django, WebSockets through Channels.

WebSockets pass ``AllowedHostsOriginValidator`` (a foreign or missing Origin is refused) and the
session auth middleware, so consumers see ``scope["user"]`` and never trust the client for identity.
"""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# Everything loaded so far (Django, Wagtail, every module, URL patterns: some 200,000 objects) lives as
# long as the process. Left to the collector, each full collection walked all of it, 250-300 ms during
# which this worker answered nothing and relayed nothing: the slowest live messages and requests were
# exactly those. Frozen, a full collection walks only what requests create (docs/decisions/0018).
gc.freeze()
