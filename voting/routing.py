from django.urls import path

from voting.consumers import BallotBoxConsumer

websocket_urlpatterns = [
    path("ws/stemming/<int:box_id>/", BallotBoxConsumer.as_asgi()),
]
