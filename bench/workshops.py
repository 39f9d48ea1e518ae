"""Co-design workshops: a board with 60 participants and 600 cards, and the live fan-out of a new card.

``prepare`` builds, for Giessenburg, an open workshop in the share phase with ``PARTICIPANTS`` signed-in
participants (bench users, each with their own session) and ``CARDS`` shared cards spread over its cells.
Rows are written with ``bulk_create`` (as bench/walks.py): the bench measures reading and the fan-out. The
workshop has a fixed id so that bench/scenarios.py can name the board's path. Safe to run again: it tops up
to the numbers and removes what an earlier fan-out posted.

``run`` (an extra benchmark, bench/scenarios.py: EXTRA_BENCHMARKS) measures how fast a card posted through the
API reaches every other phone on the board, on both channel layers (bench/live_fanout.py).
"""

import datetime
import uuid

from bench.core import Bench, Section

WORKSHOP = 90_101
PARTICIPANTS = 60
CARDS = 600
FANOUT_CARDS = 30
PARTICIPANT_EMAIL = "bench-deelnemer-{n}@example.org"
FACILITATOR = PARTICIPANT_EMAIL.format(n=0)  # runs the workshop, and takes part too
PARTICIPANT = PARTICIPANT_EMAIL.format(n=1)  # one of the 60 phones: wrote 10 of the cards
BOARD_PATH = f"/werksessies/{WORKSHOP}/bord/"
TEXT = "Benchkaartje"
FANOUT_P99_TARGET_MS = 150


def prepare() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from community.models import Kern
    from lab.models import Card, Lane, Participant, Phase, Stage, Workshop, WorkshopState
    from lab.workshops.services.workshops import DEFAULT_LANES, DEFAULT_STAGES

    users = get_user_model()
    kern = Kern.objects.get(slug="giessenburg")
    now = timezone.now()
    with transaction.atomic():
        existing = set(users.objects.filter(email__startswith="bench-deelnemer-").values_list("email", flat=True))
        users.objects.bulk_create([
            users(email=PARTICIPANT_EMAIL.format(n=n), first_name=f"Deelnemer {n}", kern=kern)
            for n in range(PARTICIPANTS) if PARTICIPANT_EMAIL.format(n=n) not in existing
        ])
        people = list(users.objects.filter(email__startswith="bench-deelnemer-").order_by("pk"))
        workshop, created = Workshop.objects.get_or_create(pk=WORKSHOP, defaults=dict(
            title="Benchsessie met 600 kaartjes", service="Een dienst van de gemeente", kern=kern,
            starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=2),
            join_code="909101", state=WorkshopState.OPEN, phase=Phase.SHARE, revealed=True))
        if created:
            workshop.facilitators.set([people[0]])
            Stage.objects.bulk_create([Stage(workshop=workshop, title=str(t), order=i)
                                       for i, t in enumerate(DEFAULT_STAGES)])
            Lane.objects.bulk_create([Lane(workshop=workshop, kind=k, title=str(k.label), order=i)
                                      for i, k in enumerate(DEFAULT_LANES)])
        seated = set(workshop.participants.values_list("user_id", flat=True))
        Participant.objects.bulk_create([Participant(workshop=workshop, user=u, display_name=u.first_name)
                                         for u in people if u.pk not in seated])
        seats = list(workshop.participants.order_by("pk"))
        cells = [(s, lane) for s in workshop.stages.all() for lane in workshop.lanes.all()]
        workshop.cards.exclude(text__startswith=TEXT).delete()  # what an earlier fan-out posted
        have = workshop.cards.count()
        Card.objects.bulk_create([
            Card(workshop=workshop, stage=cells[n % len(cells)][0], lane=cells[n % len(cells)][1],
                 author=seats[n % len(seats)], text=f"{TEXT} {n}: zo voelt deze stap.", order=n,
                 client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"bench-card:{n}"))
            for n in range(have, CARDS)
        ], batch_size=500)


def board_target():
    """The workshop as a fan-out target: every participant follows the board, and they take turns posting."""
    from bench.live_fanout import Target
    from lab.models import Lane, Stage

    prepare()
    cookies = [Bench.session_cookie(PARTICIPANT_EMAIL.format(n=n)) for n in range(PARTICIPANTS)]
    stage = Stage.objects.filter(workshop_id=WORKSHOP).order_by("order").first()
    lane = Lane.objects.filter(workshop_id=WORKSHOP, kind="ideas").first()
    from django.db import connections

    connections.close_all()

    def body(text: str) -> dict:
        return {"stage": stage.pk, "lane": lane.pk, "text": text, "client_id": str(uuid.uuid4())}

    return Target(follows="one board (signed-in participants, each with their own session)", posts="cards",
                  ws_path=f"/ws/werksessie/{WORKSHOP}/", post_path=f"/api/v1/workshops/{WORKSHOP}/cards/",
                  event="card.added", body=body, text_of=lambda data: data.get("text", ""), writers=cookies,
                  followers=cookies)


def run(bench: Bench) -> Section:
    from bench import live_fanout

    fanout, delivered, _rows = live_fanout.measure(bench, clients=PARTICIPANTS, posts=FANOUT_CARDS,
                                                   prepare=board_target, p99_target_ms=FANOUT_P99_TARGET_MS,
                                                   name="workshop-fanout")
    return Section(title="Workshops: a new card on 60 phones", markdown=fanout, ok=delivered)
