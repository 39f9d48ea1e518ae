"""WebSocket routes of every app, gathered in one list."""

import community.routing
import discussion.routing
import lab.workshops.routing
import live.routing
import maps.routing
import voting.routing

websocket_urlpatterns = [
    *live.routing.websocket_urlpatterns,
    *discussion.routing.websocket_urlpatterns,
    *community.routing.websocket_urlpatterns,
    *maps.routing.websocket_urlpatterns,
    *lab.workshops.routing.websocket_urlpatterns,
    *voting.routing.websocket_urlpatterns,
]
