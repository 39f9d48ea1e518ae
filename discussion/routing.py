from django.urls import path

from discussion.consumers import ThreadConsumer

websocket_urlpatterns = [
    path("ws/gesprek/<int:thread_id>/", ThreadConsumer.as_asgi()),
]
