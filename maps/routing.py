from django.urls import path

from maps.consumers import WalkConsumer

websocket_urlpatterns = [
    path("ws/wijkschouw/<int:walk_id>/", WalkConsumer.as_asgi()),
]
