"""/api/v1/ for initiatives and pledges: the same selectors, services and rules as the pages.

What a viewer may not see answers 404 (indistinguishable from "does not exist"); a rule that says no
answers 403; bad input 400; a step that is not possible in the current state 409.
"""

import rules
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import Kern
from initiatives import selectors, services
from initiatives.api.serializers import (
    EventSerializer,
    InitiativeDetailSerializer,
    InitiativeListSerializer,
    InitiativeWriteSerializer,
    PledgeCreateSerializer,
    PledgeSerializer,
    ReasonSerializer,
)
from initiatives.models import Initiative, Pledge, Status, Theme

VIEWER_PERMISSIONS = ("change_initiative", "submit_initiative", "moderate_initiative", "view_audit_trail",
                      "request_reconsideration", "add_pledge", "support_initiative", "follow_initiative",
                      "post_update", "realise_initiative", "archive_initiative", "start_funding")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Dit kan nu niet."
    default_code = "invalid_transition"


def call(service, **kwargs):
    """Run a service and turn its refusals into API answers."""
    try:
        return service(**kwargs)
    except services.InvalidTransition as error:
        raise Conflict(detail=" ".join(error.messages)) from error
    except services.IdempotencyConflict as error:
        raise Conflict(detail=" ".join(error.messages), code="idempotency_conflict") from error
    except DjangoValidationError as error:
        raise ValidationError({"detail": error.messages}) from error
    except DjangoPermissionDenied as error:
        raise PermissionDenied(detail=str(error) or None) from error


class InitiativeRule(permissions.BasePermission):
    """Asks one django-rules permission about the object (the same rule the pages and services ask)."""

    perm = ""

    def has_object_permission(self, request, view, obj):
        return rules.has_perm(f"initiatives.{self.perm}", request.user, obj)


def rule(perm: str) -> type[InitiativeRule]:
    return type(f"Can_{perm}", (InitiativeRule,), {"perm": perm})


def visible_or_404(request, pk) -> Initiative:
    try:
        return selectors.visible_initiative(user=request.user, pk=pk)
    except Initiative.DoesNotExist:
        raise Http404 from None


LIST_PARAMETERS = [
    OpenApiParameter("kern", OpenApiTypes.STR, description="Slug of a kern"),
    OpenApiParameter("theme", OpenApiTypes.STR, enum=Theme.values),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=list(selectors.SORTS)),
]


class InitiativeList(generics.ListCreateAPIView):
    """Initiatives the viewer may see (public ones for everyone), paginated; POST creates a draft."""

    serializer_class = InitiativeListSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        params = self.request.query_params
        kern = None
        if params.get("kern"):
            kern = Kern.objects.filter(slug=params["kern"]).first()
            if kern is None:
                return Initiative.objects.none()
        status_filter = params.get("status") if params.get("status") in Status.values else None
        theme = params.get("theme") if params.get("theme") in Theme.values else None
        return selectors.initiative_list(user=self.request.user, kern=kern, theme=theme, status=status_filter,
                                         sort=params.get("sort", "newest"))

    @extend_schema(parameters=LIST_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=InitiativeWriteSerializer, responses={201: InitiativeDetailSerializer})
    def post(self, request, *args, **kwargs):
        data = InitiativeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        initiative = call(services.create_draft, initiator=request.user, **data.validated_data)
        return Response(detail_data(request, initiative.pk), status=status.HTTP_201_CREATED)


def detail_data(request, pk) -> dict:
    initiative = visible_or_404(request, pk)
    allowed = {perm: rules.has_perm(f"initiatives.{perm}", request.user, initiative) for perm in VIEWER_PERMISSIONS}
    return InitiativeDetailSerializer(initiative, context={"request": request, "permissions": allowed}).data


class InitiativeDetail(APIView):
    serializer_class = InitiativeDetailSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=InitiativeDetailSerializer)
    def get(self, request, pk):
        return Response(detail_data(request, pk))

    @extend_schema(request=InitiativeWriteSerializer, responses=InitiativeDetailSerializer)
    def patch(self, request, pk):
        initiative = visible_or_404(request, pk)
        self.check_object_permissions(request, initiative)
        data = InitiativeWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        call(services.update_draft, actor=request.user, initiative=initiative, **data.validated_data)
        return Response(detail_data(request, pk))

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [permissions.IsAuthenticated(), rule("change_initiative")()]
        return super().get_permissions()


def _action(perm: str, service, *, reason_field: str | None = None, summary: str):
    """A POST endpoint that runs one lifecycle service on a visible initiative."""

    class Action(APIView):
        permission_classes = [permissions.IsAuthenticated]
        serializer_class = ReasonSerializer

        @extend_schema(request=ReasonSerializer, responses=InitiativeDetailSerializer, summary=summary)
        def post(self, request, pk):
            initiative = visible_or_404(request, pk)
            data = ReasonSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            kwargs = {"actor": request.user, "initiative": initiative}
            if reason_field:
                kwargs[reason_field] = data.validated_data["reason"]
            call(service, **kwargs)
            return Response(detail_data(request, pk))

    Action.__name__ = Action.__qualname__ = f"Initiative{perm.title().replace('_', '')}"
    return Action


SubmitInitiative = _action("submit_initiative", services.submit_initiative, summary="Indienen bij de dorpsraad")
ApproveInitiative = _action("moderate_initiative", services.approve_initiative, reason_field="reason",
                            summary="Goedkeuren (dorpsraad)")
RequestChanges = _action("request_changes", services.request_changes, reason_field="comment",
                         summary="Om aanpassing vragen (dorpsraad)")
DeclineInitiative = _action("decline_initiative", services.decline_initiative, reason_field="reason",
                            summary="Afwijzen met reden (dorpsraad)")
RequestReconsideration = _action("request_reconsideration", services.request_reconsideration,
                                 reason_field="reason", summary="Eén keer om heroverweging vragen")
ArchiveInitiative = _action("archive_initiative", services.archive_initiative, reason_field="reason",
                            summary="Archiveren")


class InitiativeEvents(generics.ListAPIView):
    """The audit trail, for initiators, the kern's council and staff."""

    serializer_class = EventSerializer
    pagination_class = None

    def get_queryset(self):
        initiative = visible_or_404(self.request, self.kwargs["pk"])
        if not rules.has_perm("initiatives.view_audit_trail", self.request.user, initiative):
            raise PermissionDenied()
        return selectors.audit_trail(initiative)


def _pledge(**kwargs):
    """``services.pledge``; the same pledge again moments ago answers 409 ``possible_duplicate``."""
    try:
        return services.pledge(**kwargs)
    except services.PossibleDuplicate as error:
        raise Conflict(detail={"detail": " ".join(error.messages), "code": "possible_duplicate"}) from error


class InitiativePledges(APIView):
    """Pledge money, time or materials. Send an ``Idempotency-Key`` header: a retry returns the first pledge."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PledgeCreateSerializer

    @extend_schema(
        request=PledgeCreateSerializer, responses={201: PledgeSerializer, 200: PledgeSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)],
    )
    def post(self, request, pk):
        initiative = visible_or_404(request, pk)
        key = request.headers.get("Idempotency-Key", "")
        if not key:
            raise ValidationError({"detail": ["Stuur een Idempotency-Key-header mee."]})
        data = PledgeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = call(_pledge, pledger=request.user, initiative=initiative, idempotency_key=key,
                      **data.validated_data)
        return Response(PledgeSerializer(result.pledge).data,
                        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class MyPledges(generics.ListAPIView):
    """The signed-in resident's own pledges."""

    serializer_class = PledgeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.my_pledges(user=self.request.user)


class CancelPledge(APIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.Serializer

    @extend_schema(request=None, responses=PledgeSerializer)
    def post(self, request, pk):
        pledge = get_object_or_404(Pledge.objects.select_related("initiative"), pk=pk, pledger=request.user)
        return Response(PledgeSerializer(call(services.cancel_pledge, actor=request.user, pledge=pledge)).data)
