"""A staff-only way to publish on the health stream: proves the live path through a real server."""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from live.services import publish


class CanPublishHealth(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("live.publish_health")


@extend_schema(
    request=inline_serializer("HealthPing", {"text": serializers.CharField(max_length=200, required=False)}),
    responses=inline_serializer("HealthPingResult", {"seq": serializers.IntegerField()}),
)
@api_view(["POST"])
@permission_classes([CanPublishHealth])
def health_ping(request):
    text = str(request.data.get("text", "ping"))[:200]
    event = publish(stream="health", type="health.ping", data={"text": text, "at": timezone.now().isoformat()})
    return Response({"seq": event.seq}, status=201)


urlpatterns = [path("live/health/ping/", health_ping, name="health-ping")]
