from django.urls import path

from lab.workshops.consumers import WorkshopConsumer

websocket_urlpatterns = [
    path("ws/werksessie/<int:workshop_id>/", WorkshopConsumer.as_asgi()),
]
