"""/api/v1/ for workshops: joining by code, the board, cards, feelings, dots, the facilitator's controls, results.

The same services, selectors and rules as the pages; the request's seat is found only by
``lab.workshops.seats.seat_for`` (the signed-in person or the device cookie). A rule that says no answers 403,
an id that is not of this workshop 404 (in the path) or 400 (in the body), bad input 400 (``core.api``).

People without an account take part with a device cookie, so writes are open to visitors; their writes need the
CSRF token too (``access.SessionOrDevice``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Prefetch, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import Kern, User
from core.permissions import may, require
from lab.models import Card, Dot, Lane, Participant, Stage, Workshop
from lab.workshops import services
from lab.workshops.api import board as reads
from lab.workshops.api.access import JoinThrottle, SessionOrDevice
from lab.workshops.api.serializers import (
    BoardSerializer,
    CardChangeSerializer,
    CardCreateSerializer,
    CardSerializer,
    ControlResultSerializer,
    ControlSerializer,
    DotCreateSerializer,
    DotPlacedSerializer,
    DotSerializer,
    FeelingSerializer,
    FeelingWriteSerializer,
    JoinSerializer,
    ResultsSerializer,
    SeatSerializer,
    WorkshopDetailSerializer,
    WorkshopQuery,
    WorkshopSerializer,
)
from lab.workshops.seats import DEVICE_COOKIE, At, seat_for, set_device_cookie
from lab.workshops.services.payloads import lane_payload, stage_payload, workshop_state_payload
from live.services import last_seq_subquery

NO_SEAT = gettext_lazy("Doe eerst mee met de code van de werksessie.")
ONLY_FACILITATORS = gettext_lazy("Alleen de begeleiders bedienen de werksessie.")
NO_SUCH_CODE = gettext_lazy("Er is geen werksessie met deze code. Kijk de zes cijfers na.")
NOT_OF_BOARD = gettext_lazy("Dit hoort niet bij deze werksessie.")


class WorkshopAPIView(APIView):
    authentication_classes = [SessionOrDevice]
    permission_classes = [permissions.AllowAny]  # the rules decide, seat or account
    api_errors: set[str] = set()

    def workshop(self, pk) -> Workshop:
        """The workshop, read with its stream's position (``known_last_seq``) and whether the viewer is one of its
        facilitators: the rules' question about them is answered for this viewer, in the same query."""
        user = self.request.user
        viewer = user.pk if user.is_authenticated else None
        found = _with_position().annotate(
            viewer_facilitates=Exists(Workshop.facilitators.through.objects.filter(
                workshop_id=OuterRef("pk"), user_id=viewer))).filter(pk=pk).first()
        if found is None:
            raise Http404
        found._facilitator_ids = frozenset({viewer} if found.viewer_facilitates else ())
        return found

    def seat(self, workshop: Workshop) -> Participant | None:
        return seat_for(user=self.request.user, workshop=workshop,
                        device_token=self.request.COOKIES.get(DEVICE_COOKIE, ""))

    def seat_or_403(self, workshop: Workshop) -> Participant:
        found = self.seat(workshop)
        if found is None:
            raise PermissionDenied(NO_SEAT)
        return found


_positioned: list = []  # the annotated queryset, built once per process


def _with_position():
    if not _positioned:
        stream = Concat(Value("workshop."), Cast(OuterRef("pk"), output_field=CharField()))
        _positioned.append(Workshop.objects.select_related("kern").annotate(known_last_seq=last_seq_subquery(stream)))
    return _positioned[0]


def _facilitators():
    return Prefetch("facilitators", queryset=User.objects.order_by("first_name", "pk"))


def _of_workshop(model, workshop: Workshop, pk, field: str):
    """The object of this workshop with id ``pk``; an id of another board is refused as bad input."""
    found = model.objects.filter(pk=pk, workshop=workshop).first() if pk is not None else None
    if pk is not None and found is None:
        raise ValidationError({field: [NOT_OF_BOARD]})
    if found is not None:
        found.workshop = workshop
    return found


PHOTO_CHANGES = ("photo", "photo_alt", "remove_photo")


def _bodies(serializer_class) -> dict:
    """A write's body: JSON, or multipart/form-data when it carries a photo."""
    return {"application/json": serializer_class, "multipart/form-data": serializer_class}


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Workshops ---------------------------------------------------------------------------------------------

class WorkshopList(generics.ListAPIView):
    """Workshops, soonest first; ``?kern=<slug>`` for one kern (``gemeente``: the whole municipality),
    ``?state=`` for planned, open or ended ones."""

    serializer_class = WorkshopSerializer
    permission_classes = [permissions.AllowAny]
    query_serializer = WorkshopQuery

    @extend_schema(parameters=[WorkshopQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = _valid(WorkshopQuery, self.request.query_params)
        workshops = Workshop.objects.select_related("kern").prefetch_related(_facilitators()).order_by(
            "starts_at", "pk")
        if query.get("kern") == "gemeente":
            workshops = workshops.filter(kern__isnull=True)
        elif query.get("kern"):
            if not Kern.objects.filter(slug=query["kern"]).exists():
                raise ValidationError({"kern": [_("Deze kern bestaat niet.")]})
            workshops = workshops.filter(kern__slug=query["kern"])
        if query.get("state"):
            workshops = workshops.filter(state=query["state"])
        return workshops


class WorkshopDetail(WorkshopAPIView):
    """One workshop: its personas, stages, lanes and the facilitator's controls as they are now."""

    serializer_class = WorkshopDetailSerializer

    @extend_schema(responses={200: WorkshopDetailSerializer})
    def get(self, request, pk):
        workshop = (Workshop.objects.select_related("kern")
                    .prefetch_related(_facilitators(), "personas", "stages", "lanes").filter(pk=pk).first())
        if workshop is None:
            raise Http404
        require(request.user, "lab.view_workshop", workshop)
        return Response(WorkshopDetailSerializer(workshop).data)


class Join(WorkshopAPIView):
    """Join with the six digits: as oneself when signed in, with a display name on this device, or anonymously.
    A new device seat sets the device cookie (HttpOnly); joining again finds the same seat."""

    serializer_class = JoinSerializer
    throttle_classes = [JoinThrottle]
    api_errors = {"404", "429"}  # no workshop has this code; too many tries

    @extend_schema(request=JoinSerializer, responses={200: SeatSerializer})
    def post(self, request):
        data = _valid(JoinSerializer, request.data)
        workshop = Workshop.objects.filter(join_code=data["code"]).first()
        if workshop is None:
            raise NotFound(NO_SUCH_CODE)
        seat, token = services.join(user=request.user, workshop=workshop, display_name=data["display_name"],
                                    anonymous=data["anonymous"], device_token=request.COOKIES.get(DEVICE_COOKIE, ""))
        response = Response(SeatSerializer(seat).data)
        if token:
            set_device_cookie(request, response, token)
        return response


# --- The board ---------------------------------------------------------------------------------------------

class Board(WorkshopAPIView):
    """The board as the viewer may see it: every card in its cell (a private card of someone else without its
    text), the curve, the viewer's own feelings and dots, the controls, and the stream's ``last_seq``."""

    serializer_class = BoardSerializer

    @extend_schema(responses={200: BoardSerializer})
    def get(self, request, pk):
        workshop = self.workshop(pk)
        seat = self.seat(workshop)
        require(request.user, "lab.view_board", At(seat, workshop), NO_SEAT)
        return Response(BoardSerializer(reads.board(request.user, workshop, seat)).data)


class Cards(WorkshopAPIView):
    """Add a card to a cell, as JSON or, with a photo (``photo``, ``photo_alt``), as multipart/form-data; the same
    ``client_id`` again answers 200 with the first card and changes nothing. A photo that is refused answers 400
    with the reason, and nothing is stored."""

    serializer_class = CardCreateSerializer

    @extend_schema(request=_bodies(CardCreateSerializer), responses={201: CardSerializer, 200: CardSerializer})
    def post(self, request, pk):
        workshop = self.workshop(pk)
        data = _valid(CardCreateSerializer, request.data)
        stage = _of_workshop(Stage, workshop, data["stage"], "stage")
        lane = _of_workshop(Lane, workshop, data["lane"], "lane")
        seat = self.seat(workshop)
        card, created = services.add_card(actor=request.user, participant=seat, stage=stage, lane=lane,
                                          text=data["text"], client_id=data["client_id"],
                                          image=data.get("photo"), photo_alt=data["photo_alt"])
        card.workshop = workshop
        return Response(reads.card_as_seen(request.user, seat, card),
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CardDetail(WorkshopAPIView):
    """PATCH: the author changes the text or the photo (a new ``photo`` as multipart/form-data, ``photo_alt``,
    ``remove_photo``); a facilitator may also move or group it. DELETE: take it away."""

    serializer_class = CardChangeSerializer

    def card(self, workshop: Workshop, card_id) -> Card:
        found = (Card.objects.select_related("stage", "lane", "author__user")
                 .filter(pk=card_id, workshop=workshop, merged_into__isnull=True).first())
        if found is None:
            raise Http404
        found.workshop = workshop
        return found

    @extend_schema(request=_bodies(CardChangeSerializer), responses={200: CardSerializer})
    def patch(self, request, pk, card_id):
        workshop = self.workshop(pk)
        card = self.card(workshop, card_id)
        data = _valid(CardChangeSerializer, request.data)
        stage = _of_workshop(Stage, workshop, data.get("stage"), "stage")
        lane = _of_workshop(Lane, workshop, data.get("lane"), "lane")
        seat = self.seat(workshop)
        actor = request.user
        with transaction.atomic():  # several changes: all of them or none (events go out after commit)
            if stage is not None:
                card = services.move_card(actor=actor, card=card, stage=stage, lane=lane)
            if "group" in data:
                card = services.group_cards(actor=actor, cards=[card], label=data["group"])[0]
            # Last: a new photo's files are written just before; a change refused after them would leave them.
            if data.keys() & {"text", *PHOTO_CHANGES}:
                card = services.edit_card(actor=actor, participant=seat, card=card,
                                          text=data.get("text", card.text),
                                          image=data.get("photo"), photo_alt=data.get("photo_alt"),
                                          remove_photo=data.get("remove_photo", False))
        card = self.card(workshop, card.pk)
        return Response(reads.card_as_seen(actor, seat, card))

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk, card_id):
        workshop = self.workshop(pk)
        card = self.card(workshop, card_id)
        services.remove_card(actor=request.user, participant=self.seat(workshop), card=card)
        return Response(status=status.HTTP_204_NO_CONTENT)


class Feelings(WorkshopAPIView):
    """Place (or change) how you feel at a stage, −2 … +2, now or as it should be. The board hears only the
    stage's average."""

    serializer_class = FeelingWriteSerializer

    @extend_schema(request=FeelingWriteSerializer, responses={200: FeelingSerializer})
    def put(self, request, pk):
        workshop = self.workshop(pk)
        data = _valid(FeelingWriteSerializer, request.data)
        stage = _of_workshop(Stage, workshop, data["stage"], "stage")
        seat = self.seat_or_403(workshop)
        feeling = services.set_feeling(actor=request.user, participant=seat, stage=stage, score=data["score"],
                                       kind=data["kind"])
        return Response(FeelingSerializer(feeling).data)


class Dots(WorkshopAPIView):
    """Place one of your dots on a card; the same ``client_id`` again answers 200 with the first dot. Nobody
    sees dots before the facilitator shows the result."""

    serializer_class = DotCreateSerializer

    @extend_schema(request=DotCreateSerializer, responses={201: DotPlacedSerializer, 200: DotPlacedSerializer})
    def post(self, request, pk):
        workshop = self.workshop(pk)
        data = _valid(DotCreateSerializer, request.data)
        card = _of_workshop(Card, workshop, data["card"], "card")
        seat = self.seat_or_403(workshop)
        seat.workshop = workshop
        dot, created = services.place_dot(actor=request.user, participant=seat, card=card,
                                          client_id=data["client_id"])
        dot.dots_left = services.dots_left(seat)
        return Response(DotPlacedSerializer(dot).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class DotDetail(WorkshopAPIView):
    serializer_class = DotSerializer

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk, dot_id):
        workshop = self.workshop(pk)
        seat = self.seat_or_403(workshop)
        dot = Dot.objects.filter(pk=dot_id, participant=seat, card__workshop=workshop).first()
        if dot is None:  # someone else's dot is not there for you: its id says nothing
            raise Http404
        services.remove_dot(actor=request.user, participant=seat, dot=dot)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The facilitator ---------------------------------------------------------------------------------------

class Control(WorkshopAPIView):
    """The facilitator's controls, each pushed live: open, phase, reveal, timer, stop_timer, spotlight, focus,
    lock_board, unlock_board, lock_lane, unlock_lane, show_votes, end, add_stage, add_lane."""

    serializer_class = ControlSerializer

    @extend_schema(request=ControlSerializer, responses={200: ControlResultSerializer})
    def post(self, request, pk):
        workshop = self.workshop(pk)
        require(request.user, "lab.run_workshop", workshop, ONLY_FACILITATORS)
        data = _valid(ControlSerializer, request.data)
        card = _of_workshop(Card, workshop, data.get("card"), "card")
        stage = _of_workshop(Stage, workshop, data.get("stage"), "stage")
        lane = _of_workshop(Lane, workshop, data.get("lane"), "lane")
        actor, action = request.user, data["action"]
        added_stage = changed_lane = None
        if action == "open":
            workshop = services.open_workshop(actor=actor, workshop=workshop)
        elif action == "phase":
            workshop = services.set_phase(actor=actor, workshop=workshop, phase=data["phase"])
        elif action == "reveal":
            workshop = services.reveal(actor=actor, workshop=workshop)
        elif action == "timer":
            workshop = services.start_timer(actor=actor, workshop=workshop, seconds=data["seconds"])
        elif action == "stop_timer":
            workshop = services.stop_timer(actor=actor, workshop=workshop)
        elif action == "spotlight":
            workshop = services.spotlight(actor=actor, workshop=workshop, card=card)
        elif action == "focus":
            workshop = services.bring_to_stage(actor=actor, workshop=workshop, stage=stage)
        elif action in ("lock_board", "unlock_board"):
            workshop = services.lock_board(actor=actor, workshop=workshop, locked=action == "lock_board")
        elif action in ("lock_lane", "unlock_lane"):
            changed_lane = services.lock_lane(actor=actor, lane=lane, locked=action == "lock_lane")
        elif action == "show_votes":
            workshop = services.show_votes(actor=actor, workshop=workshop)
        elif action == "end":
            workshop = services.end_workshop(actor=actor, workshop=workshop)
        elif action == "add_stage":
            added_stage = services.add_stage(actor=actor, workshop=workshop, title=data["title"])
        elif action == "add_lane":
            changed_lane = services.add_lane(actor=actor, workshop=workshop, title=data["title"], kind=data["kind"])
        workshop.refresh_from_db()
        return Response({"live": workshop_state_payload(workshop),
                         "stage": stage_payload(added_stage) if added_stage else None,
                         "lane": lane_payload(changed_lane) if changed_lane else None})


class Results(WorkshopAPIView):
    """What came out: the shared cards, the curve, the facilitator's summary; the dots once shown."""

    serializer_class = ResultsSerializer

    @extend_schema(responses={200: ResultsSerializer})
    def get(self, request, pk):
        workshop = self.workshop(pk)
        seat = self.seat(workshop)
        if not may(request.user, "lab.view_results", At(seat, workshop)):
            raise Http404  # as the results page: not there (yet) for this viewer
        return Response(ResultsSerializer(reads.results(request.user, workshop, seat)).data)

