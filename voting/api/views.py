"""/api/v1/voting/: polls, village budgets and their projects, ballot boxes, casting a ballot, results, receipts.

The same rules and services as the pages. Everything here is public to read; a count appears only where
``voting.view_results`` allows it (a result that may not be seen answers 404, for everyone, staff and admins
included). Casting goes through ``voting.services.casting.cast_ballot``: a rule that says no answers 403, bad
input 400, a second ballot 409; the views raise, ``core.api.exception_handler`` answers.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.parsers import ExactJSONParser
from core.permissions import may
from voting.api import payloads
from voting.api.serializers import (
    BallotBoxResultSerializer,
    BallotBoxSerializer,
    BallotCastSerializer,
    BallotCountedSerializer,
    BallotReplayedSerializer,
    BudgetDetailSerializer,
    BudgetProjectDetailSerializer,
    BudgetProjectSerializer,
    BudgetSerializer,
    PollSerializer,
    ReceiptAnswerSerializer,
    ReceiptCheckSerializer,
    enum,
)
from voting.api.throttles import CodeThrottle, ReceiptThrottle, allowed
from voting.models import BallotBox, Budget, BudgetPhase, Poll, Project, ProjectUpdate
from voting.services.casting import KEY_MAX, cast_ballot, receipt_counted

POLLS, BUDGETS, BALLOTS = "Stemmen: peilingen", "Stemmen: kernbudgetten", "Stemmen: stembiljetten"
MUNICIPALITY = "gemeente"
TOO_OFTEN = gettext_lazy("U probeerde dit kort na elkaar te vaak. Wacht even en probeer het opnieuw.")
KEY_HEADER = OpenApiParameter(
    "Idempotency-Key", {"type": "string", "minLength": 1, "maxLength": KEY_MAX}, OpenApiParameter.HEADER,
    required=True,
    description="Required. A key the client makes once per ballot (e.g. a UUID) and sends again with every "
                "retry: a retry of a counted ballot answers 200 with `replayed`, and nothing is cast twice. "
                f"At most {KEY_MAX} printable characters.")


class ListQuery(serializers.Serializer):
    """Query parameters: a value the schema does not allow is refused (400), never ignored."""

    kern = serializers.SlugField(required=False, help_text=f"A kern's slug; `{MUNICIPALITY}`: the whole municipality.")

    def to_internal_value(self, data):
        blank = {name: [_("Laat dit weg of kies een waarde.")] for name in self.fields if data.get(name) == ""}
        if blank:
            raise exceptions.ValidationError(blank)
        return super().to_internal_value(data)


class PollQuery(ListQuery):
    state = enum("BallotBoxStateEnum", ["upcoming", "open", "closed"], required=False)
    initiative = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class BudgetQuery(ListQuery):
    phase = enum("BudgetPhaseEnum", BudgetPhase, required=False)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _by_kern(queryset, slug: str | None):
    if slug == MUNICIPALITY:
        return queryset.filter(box__kern__isnull=True)
    return queryset.filter(box__kern__slug=slug) if slug else queryset


def _polls(user):
    """The polls ``user`` may see (``voting.view_poll``), as the pages show them."""
    return Poll.objects.visible_to(user).select_related("box__kern", "box__budget").prefetch_related("options")


def _budgets():
    return Budget.objects.select_related("box__kern", "box__poll")


def _box(pk) -> BallotBox:
    """Any box (all are public), with what the rules and services read of it."""
    return get_object_or_404(BallotBox.objects.select_related("kern", "poll", "budget"), pk=pk)


class PayloadList(generics.ListAPIView):
    """A paginated list whose page is turned into data in bulk (``payloads``): queries do not grow with it."""

    permission_classes = [permissions.AllowAny]

    def payload(self, objects: list) -> list[dict]:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = self.get_serializer(self.payload(list(page)), many=True).data
        return self.get_paginated_response(data)


# --- Polls --------------------------------------------------------------------------------------------------

@extend_schema(tags=[POLLS])
class PollList(PayloadList):
    """Polls, newest first. ``results`` is null until the viewer may see the result (after the close, or after
    their own vote when the poll says so)."""

    serializer_class = PollSerializer
    query_serializer = PollQuery

    @extend_schema(parameters=[PollQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = _valid(PollQuery, self.request.query_params)
        polls = _by_kern(_polls(self.request.user), query.get("kern"))
        now = timezone.now()
        state = query.get("state")
        if state == "upcoming":
            polls = polls.filter(box__opens_at__gt=now)
        elif state == "open":
            polls = polls.filter(box__opens_at__lte=now, box__closes_at__gt=now)
        elif state == "closed":
            polls = polls.filter(box__closes_at__lte=now)
        if query.get("initiative"):
            polls = polls.filter(initiative_id=query["initiative"])
        return polls.order_by("-created_at", "-pk")

    def payload(self, objects):
        return payloads.polls_payload(self.request.user, objects)


@extend_schema(tags=[POLLS])
class PollDetail(APIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = PollSerializer

    @extend_schema(responses={200: PollSerializer})
    def get(self, request, pk):
        poll = get_object_or_404(_polls(request.user), pk=pk)
        return Response(PollSerializer(payloads.polls_payload(request.user, [poll])[0]).data)


# --- Budgets and projects -----------------------------------------------------------------------------------

@extend_schema(tags=[BUDGETS])
class BudgetList(PayloadList):
    """Village budgets, newest first, with their phase, ballot format and amount. ``exports`` (the Pabulib file,
    the ballots as CSV, the recount page) appear once the result is published."""

    serializer_class = BudgetSerializer
    query_serializer = BudgetQuery

    @extend_schema(parameters=[BudgetQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = _valid(BudgetQuery, self.request.query_params)
        budgets = _by_kern(_budgets(), query.get("kern"))
        if query.get("phase"):
            budgets = budgets.filter(phase=query["phase"])
        return budgets.order_by("-created_at", "-pk")

    def payload(self, objects):
        return payloads.budgets_payload(self.request.user, objects)


@extend_schema(tags=[BUDGETS])
class BudgetDetail(APIView):
    """One budget with all its projects (every state: proposed, feasible, not feasible with the reason)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = BudgetDetailSerializer

    @extend_schema(responses={200: BudgetDetailSerializer})
    def get(self, request, pk):
        budget = get_object_or_404(_budgets(), pk=pk)
        projects = {budget.pk: list(budget.projects.order_by("pk"))}
        data = payloads.budgets_payload(request.user, [budget], projects=projects)[0]
        return Response(BudgetDetailSerializer(data).data)


@extend_schema(tags=[BUDGETS])
class ProjectList(PayloadList):
    """The projects of one budget, oldest first."""

    serializer_class = BudgetProjectSerializer

    def get_queryset(self):
        budget = get_object_or_404(Budget.objects.only("pk"), pk=self.kwargs["pk"])
        return Project.objects.filter(budget=budget).order_by("pk")

    def payload(self, objects):
        return [payloads.project_payload(project) for project in objects]


@extend_schema(tags=[BUDGETS])
class ProjectDetail(APIView):
    """One project with its progress updates (newest first) once it is carried out."""

    permission_classes = [permissions.AllowAny]
    serializer_class = BudgetProjectDetailSerializer

    @extend_schema(responses={200: BudgetProjectDetailSerializer})
    def get(self, request, pk):
        project = get_object_or_404(Project.objects.prefetch_related(
            Prefetch("updates", queryset=ProjectUpdate.objects.order_by("-at", "-pk"))), pk=pk)
        return Response(BudgetProjectDetailSerializer(payloads.project_detail_payload(project)).data)


# --- Ballot boxes: the box, casting, the result, receipts -----------------------------------------------------

@extend_schema(tags=[BALLOTS])
class BoxDetail(APIView):
    """One ballot box: when it is open, who may vote, and what the rules say for the viewer. Never a count."""

    permission_classes = [permissions.AllowAny]
    serializer_class = BallotBoxSerializer

    @extend_schema(responses={200: BallotBoxSerializer})
    def get(self, request, pk):
        box = _box(pk)
        payloads.prefill_voted(request.user, [box])
        return Response(BallotBoxSerializer(payloads.box_payload(request.user, box)).data)


def _idempotency_key(request) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not key:
        raise exceptions.ValidationError({"Idempotency-Key": [_("Stuur een Idempotency-Key-header mee.")]})
    if len(key) > KEY_MAX or not key.isprintable():
        raise exceptions.ValidationError({"Idempotency-Key": [_("De sleutel van dit verzoek is ongeldig.")]})
    return key


def _throttle(throttle_class, request) -> None:
    allow, wait = allowed(throttle_class, request)
    if not allow:
        raise exceptions.Throttled(wait=wait, detail=str(TOO_OFTEN))


CAST_EXAMPLES = [
    OpenApiExample("Een kernbudget (ids van projecten)", value={"choices": [12, 15]}, request_only=True),
    OpenApiExample("Punten verdelen", value={"choices": {"12": 3, "15": 2}}, request_only=True),
    OpenApiExample("Een schaal", value={"choices": {"scale": 4}}, request_only=True),
    OpenApiExample("Met een stemcode uit de brief", value={"choices": [12], "code": "K7QM-2XPA-9RTD-4HVN-8BCE-3FGW-JP"},
                   request_only=True),
    OpenApiExample("Meegeteld", value={"counted": True, "replayed": False, "receipt": "K7QM-2XPA-9RTD-4HVN"},
                   response_only=True, status_codes=["201"]),
    OpenApiExample("Eerder meegeteld", value={"counted": True, "replayed": True}, response_only=True,
                   status_codes=["200"]),
]


@extend_schema(tags=[BALLOTS])
class CastBallot(APIView):
    """Cast a ballot: with one's account, or with a letter code (``code``; no account needed, throttled).

    ``choices`` is a list of option or project ids, or a mapping of id to points (a points ballot), or
    ``{"scale": value}``. The first cast answers 201 with a receipt, shown only this once; the same
    ``Idempotency-Key`` again answers 200 ``{"counted": true, "replayed": true}``. A second ballot with another key
    answers 409; a box that is not open, or a voter who may not vote in it, 403."""

    permission_classes = [permissions.AllowAny]  # the rule decides: an account, or a letter code
    parser_classes = [ExactJSONParser]  # a ballot is structured: ids with points
    serializer_class = BallotCastSerializer
    api_errors = {"409", "429"}

    @extend_schema(request=BallotCastSerializer, parameters=[KEY_HEADER], examples=CAST_EXAMPLES,
                   responses={201: BallotCountedSerializer, 200: BallotReplayedSerializer})
    def post(self, request, pk):
        box = _box(pk)
        key = _idempotency_key(request)
        data = _valid(BallotCastSerializer, request.data)
        code = data.get("code")
        if code is not None:
            _throttle(CodeThrottle, request)
        cast = cast_ballot(actor=request.user, box=box, choices=data["choices"], idempotency_key=key, code=code)
        if cast.replayed:
            return Response(BallotReplayedSerializer({"counted": True, "replayed": True}).data)
        return Response(BallotCountedSerializer({"counted": True, "replayed": False, "receipt": cast.receipt}).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=[BALLOTS])
class BoxResult(APIView):
    """The result, once ``voting.view_results`` allows it: a poll after the close (or after one's own vote when it
    says so), a budget once its result is published. Before that: 404, for everyone."""

    permission_classes = [permissions.AllowAny]
    serializer_class = BallotBoxResultSerializer

    @extend_schema(responses={200: BallotBoxResultSerializer})
    def get(self, request, pk):
        box = _box(pk)
        if not may(request.user, "voting.view_results", box):
            raise Http404
        if box.subject is None:
            raise Http404
        return Response(BallotBoxResultSerializer(payloads.result_payload(box)).data)


@extend_schema(tags=[BALLOTS])
class ReceiptCheck(APIView):
    """Is the ballot with this receipt in the box (and so in the count)? Never what it says. Throttled."""

    permission_classes = [permissions.AllowAny]
    serializer_class = ReceiptCheckSerializer
    api_errors = {"429"}

    @extend_schema(request=ReceiptCheckSerializer, responses={200: ReceiptAnswerSerializer},
                   examples=[OpenApiExample("Een ontvangstcode", value={"receipt": "K7QM-2XPA-9RTD-4HVN"},
                                            request_only=True)])
    def post(self, request, pk):
        box = _box(pk)
        _throttle(ReceiptThrottle, request)
        data = _valid(ReceiptCheckSerializer, request.data)
        return Response(ReceiptAnswerSerializer({"counted": receipt_counted(box, data["receipt"])}).data)
