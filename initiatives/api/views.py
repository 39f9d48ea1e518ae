"""/api/v1/ for initiatives and pledges: the same selectors, services and rules as the pages.

What a viewer may not see answers 404 (indistinguishable from "does not exist"); a rule that says no
answers 403; bad input 400; a step that is not possible in the current state 409. The views raise what the
services raise; ``core.api.exception_handler`` alone turns it into an answer.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import Kern
from core.permissions import may, require, visible_or_404
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


class InitiativeRule(permissions.BasePermission):
    """Asks one django-rules permission about the object (the same rule the pages and services ask)."""

    perm = ""

    def has_object_permission(self, request, view, obj):
        return may(request.user, f"initiatives.{self.perm}", obj)


def rule(perm: str) -> type[InitiativeRule]:
    return type(f"Can_{perm}", (InitiativeRule,), {"perm": perm})


def visible(request, pk) -> Initiative:
    """The initiative if the viewer may see it (with totals and initiators), else 404."""
    viewable = (selectors.totalled().visible_to(request.user)
                .select_related("kern", "initiator", *selectors.AGENDA_RELATED)
                .prefetch_related("co_initiators", "photos"))
    return visible_or_404(request.user, "initiatives.view_initiative", viewable, pk=pk)


class ListQuery(serializers.Serializer):
    """The list's query parameters: a value the schema does not allow is refused (400), never ignored."""

    kern = serializers.SlugField(required=False, help_text="Slug of a kern")
    theme = serializers.ChoiceField(choices=Theme.choices, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    sort = serializers.ChoiceField(choices=list(selectors.SORTS), required=False, default="newest")

    def to_internal_value(self, data):
        # DRF reads an empty query value ("?status=") as "not given"; the schema does not allow it.
        blank = {name: [_("Laat dit weg of kies een waarde.")] for name in self.fields if data.get(name) == ""}
        if blank:
            raise ValidationError(blank)
        return super().to_internal_value(data)


class InitiativeList(generics.ListCreateAPIView):
    """Initiatives the viewer may see (public ones for everyone), paginated; POST creates a draft."""

    serializer_class = InitiativeListSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    query_serializer = ListQuery

    def get_queryset(self):
        query = ListQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        kern = None
        if params.get("kern"):
            kern = Kern.objects.filter(slug=params["kern"]).first()
            if kern is None:  # an unknown kern has no initiatives
                return Initiative.objects.none()
        return selectors.initiative_list(user=self.request.user, kern=kern, theme=params.get("theme"),
                                         status=params.get("status"), sort=params["sort"])

    @extend_schema(parameters=[ListQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=InitiativeWriteSerializer, responses={201: InitiativeDetailSerializer})
    def post(self, request, *args, **kwargs):
        data = InitiativeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        initiative = services.create_draft(initiator=request.user, **data.validated_data)
        return Response(detail_data(request, initiative.pk), status=status.HTTP_201_CREATED)


def detail_data(request, pk) -> dict:
    initiative = visible(request, pk)
    allowed = {perm: may(request.user, f"initiatives.{perm}", initiative) for perm in VIEWER_PERMISSIONS}
    return InitiativeDetailSerializer(initiative, context={"request": request, "permissions": allowed}).data


class InitiativeDetail(APIView):
    serializer_class = InitiativeDetailSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=InitiativeDetailSerializer)
    def get(self, request, pk):
        return Response(detail_data(request, pk))

    @extend_schema(request=InitiativeWriteSerializer, responses=InitiativeDetailSerializer)
    def patch(self, request, pk):
        initiative = visible(request, pk)
        self.check_object_permissions(request, initiative)
        data = InitiativeWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_draft(actor=request.user, initiative=initiative, **data.validated_data)
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
        api_errors = {"409"}

        @extend_schema(request=ReasonSerializer, responses=InitiativeDetailSerializer, summary=summary)
        def post(self, request, pk):
            initiative = visible(request, pk)
            data = ReasonSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            kwargs = {"actor": request.user, "initiative": initiative}
            if reason_field:
                kwargs[reason_field] = data.validated_data["reason"]
            service(**kwargs)
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
        initiative = visible(self.request, self.kwargs["pk"])
        require(self.request.user, "initiatives.view_audit_trail", initiative)
        return selectors.audit_trail(initiative)


class InitiativePledges(APIView):
    """Pledge money, time or materials. Send an ``Idempotency-Key`` header: a retry returns the first pledge."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PledgeCreateSerializer
    api_errors = {"409"}

    @extend_schema(
        request=PledgeCreateSerializer, responses={201: PledgeSerializer, 200: PledgeSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)],
    )
    def post(self, request, pk):
        initiative = visible(request, pk)
        key = request.headers.get("Idempotency-Key", "")
        if not key:
            raise ValidationError({"Idempotency-Key": ["Stuur een Idempotency-Key-header mee."]})
        data = PledgeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.pledge(pledger=request.user, initiative=initiative, idempotency_key=key,
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
    api_errors = {"409"}

    @extend_schema(request=None, responses=PledgeSerializer)
    def post(self, request, pk):
        pledge = get_object_or_404(Pledge.objects.select_related("initiative"), pk=pk, pledger=request.user)
        return Response(PledgeSerializer(services.cancel_pledge(actor=request.user, pledge=pledge)).data)
