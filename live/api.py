"""A staff-only way to publish on the health stream: proves the live path through a real server."""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response

from core.permissions import may
from live.services import publish


class CanPublishHealth(permissions.BasePermission):
    def has_permission(self, request, view):
        return may(request.user, "live.publish_health")


class HealthPing(serializers.Serializer):
    text = serializers.CharField(max_length=200, required=False, default="ping")


@extend_schema(
    request=HealthPing,
    responses={201: inline_serializer("HealthPingResult", {"seq": serializers.IntegerField()})},
)
@api_view(["POST"])
@permission_classes([CanPublishHealth])
def health_ping(request):
    data = HealthPing(data=request.data)
    data.is_valid(raise_exception=True)
    text = data.validated_data["text"]
    event = publish(stream="health", type="health.ping", data={"text": text, "at": timezone.now().isoformat()})
    return Response({"seq": event.seq}, status=201)


urlpatterns = [path("live/health/ping/", health_ping, name="health-ping")]
