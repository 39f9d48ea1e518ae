from django.urls import path

from community.consumers import UnreadCountConsumer

websocket_urlpatterns = [
    path("ws/meldingen/", UnreadCountConsumer.as_asgi()),
]
