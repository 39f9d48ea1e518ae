"""Planning a workshop and the facilitator's controls. Every control is pushed live (``workshop.changed``).

Preconditions of every service: keyword-only arguments; ``actor`` is the signed-in person acting. Each
locks the workshop's row, asks the rule under the lock, writes, and publishes after commit.
"""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pagecache import invalidate_pages_after_commit
from lab.models import Card, Lane, LaneKind, Phase, Stage, Workshop, WorkshopState
from lab.workshops.services._common import (
    WorkshopError,
    announce,
    lock_workshop,
    plain,
    require_perm,
)
from lab.workshops.services.payloads import card_payload, lane_payload, stage_payload, workshop_state_payload

# The VNG's stages of a customer journey, and the lanes of a journey map (issue 10).
DEFAULT_STAGES = (_("Oriëntatie"), _("Aanvraag"), _("Wachten"), _("Besluit"), _("Daarna"))
DEFAULT_LANES = (LaneKind.DOES, LaneKind.TOUCHPOINTS, LaneKind.THINKS, LaneKind.FEELS, LaneKind.PAIN,
                 LaneKind.IDEAS)
MAX_STAGES = 12
MAX_LANES = 12
MAX_TIMER_SECONDS = 60 * 60
CODE_ATTEMPTS = 20
PLANNERS_ONLY = gettext_lazy("Alleen medewerkers en begeleiders van het lab plannen werksessies.")


def _new_join_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _web_address(value) -> str:
    """An online meeting's address: http(s) only, so a link on the page never runs script."""
    value = plain(value, field=_("online via"), max_length=200)
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise WorkshopError(_("Vul bij “online via” een webadres in dat begint met https://."),
                                code="invalid") from None
    return value


def plan_workshop(*, actor, title: str, service: str, starts_at: datetime.datetime, ends_at: datetime.datetime,
                  kern=None, place: str = "", online_url: str = "", customer_group: str = "", description: str = "",
                  facilitators=(), stages=None, lanes=None, dots_per_participant: int = 3) -> Workshop:
    """A new workshop with its stages and lanes (the defaults when not given) and a join code of its own."""
    require_perm(actor, "lab.plan_workshop", None, PLANNERS_ONLY)
    title = plain(title, field=_("titel"), max_length=150, required=True)
    service = plain(service, field=_("over welke dienst of vraag"), max_length=300, required=True)
    if ends_at <= starts_at:
        raise WorkshopError(_("Het einde ligt na het begin."), code="times")
    if isinstance(dots_per_participant, bool) or not isinstance(dots_per_participant, int) \
            or not 1 <= dots_per_participant <= 20:
        raise WorkshopError(_("Kies 1 tot 20 stippen per deelnemer."), code="dots")
    stage_titles = [plain(t, field=_("fase"), max_length=80, required=True) for t in (stages or DEFAULT_STAGES)]
    lane_specs = list(lanes or [(kind, kind.label) for kind in DEFAULT_LANES])
    if not stage_titles or len(stage_titles) > MAX_STAGES or not lane_specs or len(lane_specs) > MAX_LANES:
        raise WorkshopError(_("Een klantreis heeft 1 tot 12 fasen en 1 tot 12 rijen."), code="shape")
    if any(kind not in LaneKind.values for kind, _label in lane_specs):
        raise WorkshopError(_("Dat soort rij bestaat niet."), code="invalid")
    # Everything is checked before anything is written: bad input leaves no half-made workshop behind.
    lane_specs = [(kind, plain(str(label), field=_("rij"), max_length=80, required=True)) for kind, label in lane_specs]
    fields = {"place": plain(place, field=_("plaats"), max_length=200),
              "customer_group": plain(customer_group, field=_("klantgroep"), max_length=200),
              "description": plain(description, field=_("toelichting"), max_length=2000),
              "online_url": _web_address(online_url)}
    with transaction.atomic():
        for _attempt in range(CODE_ATTEMPTS):
            try:
                with transaction.atomic():
                    workshop = Workshop.objects.create(
                        title=title, service=service, starts_at=starts_at, ends_at=ends_at, kern=kern,
                        created_by=actor, join_code=_new_join_code(), dots_per_participant=dots_per_participant,
                        **fields)
                    break
            except IntegrityError:
                continue  # the code was taken: draw another
        else:  # pragma: no cover - a million codes, twenty draws
            raise WorkshopError(_("Er kon geen code worden gemaakt. Probeer het opnieuw."), code="code")
        workshop.facilitators.set([actor, *facilitators])
        Stage.objects.bulk_create([Stage(workshop=workshop, title=t, order=i) for i, t in enumerate(stage_titles)])
        Lane.objects.bulk_create([Lane(workshop=workshop, kind=kind, order=i, title=label)
                                  for i, (kind, label) in enumerate(lane_specs)])
        invalidate_pages_after_commit()
    return workshop


def _changed(workshop: Workshop) -> None:
    announce(workshop, "workshop.changed", workshop_state_payload(workshop), subject="workshop")


def _control(actor, workshop: Workshop, **changes) -> Workshop:
    with transaction.atomic():
        locked = lock_workshop(workshop)
        require_perm(actor, "lab.run_workshop", locked, _("Alleen de begeleiders bedienen de werksessie."))
        if locked.state != WorkshopState.OPEN and set(changes) - {"state"}:
            raise WorkshopError(_("Start de werksessie eerst."), code="state")
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*changes, "updated_at"])
        _changed(locked)
    return locked


def open_workshop(*, actor, workshop: Workshop) -> Workshop:
    if workshop.state != WorkshopState.PLANNED:
        raise WorkshopError(_("Deze werksessie is al begonnen."), code="state")
    opened = _control(actor, workshop, state=WorkshopState.OPEN)
    invalidate_pages_after_commit()
    return opened


def set_phase(*, actor, workshop: Workshop, phase: str) -> Workshop:
    """Move to another phase. Leaving the silent brainstorm does not reveal the cards: ``reveal`` does."""
    if phase not in Phase.values:
        raise WorkshopError(_("Die fase bestaat niet."), code="invalid")
    return _control(actor, workshop, phase=phase)


def reveal(*, actor, workshop: Workshop) -> Workshop:
    """Share every card of the silent brainstorm with everyone (one event with all of them)."""
    with transaction.atomic():
        locked = lock_workshop(workshop)
        require_perm(actor, "lab.run_workshop", locked, _("Alleen de begeleiders bedienen de werksessie."))
        if locked.state != WorkshopState.OPEN:
            raise WorkshopError(_("Start de werksessie eerst."), code="state")
        private = list(Card.objects.filter(workshop=locked, private=True).select_related("author__user"))
        Card.objects.filter(pk__in=[c.pk for c in private]).update(private=False, updated_at=timezone.now())
        locked.revealed = True
        if locked.phase == Phase.BRAINSTORM:
            locked.phase = Phase.SHARE
        locked.save(update_fields=["revealed", "phase", "updated_at"])
        for card in private:
            card.private = False
        announce(locked, "cards.revealed", {"cards": [card_payload(c) for c in private]})
        _changed(locked)
    return locked


def start_timer(*, actor, workshop: Workshop, seconds: int) -> Workshop:
    """A countdown everyone sees: the end as a moment, so every device counts down to the same second."""
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 10 <= seconds <= MAX_TIMER_SECONDS:
        raise WorkshopError(_("Kies een tijd van 10 seconden tot een uur."), code="invalid")
    return _control(actor, workshop, timer_ends_at=timezone.now() + datetime.timedelta(seconds=seconds))


def stop_timer(*, actor, workshop: Workshop) -> Workshop:
    return _control(actor, workshop, timer_ends_at=None)


def spotlight(*, actor, workshop: Workshop, card: Card | None) -> Workshop:
    """Show one card big on every screen (None: stop). A private card cannot be put in the spotlight."""
    if card is not None and (card.workshop_id != workshop.pk or card.private):
        raise WorkshopError(_("Dat kaartje kan niet in de schijnwerper."), code="invalid")
    return _control(actor, workshop, spotlight=card)


def bring_to_stage(*, actor, workshop: Workshop, stage: Stage | None) -> Workshop:
    """"Iedereen naar deze fase": every phone shows that stage."""
    if stage is not None and stage.workshop_id != workshop.pk:
        raise WorkshopError(_("Die fase hoort niet bij deze werksessie."), code="invalid")
    return _control(actor, workshop, focus_stage=stage)


def lock_board(*, actor, workshop: Workshop, locked: bool) -> Workshop:
    return _control(actor, workshop, board_locked=bool(locked))


def show_votes(*, actor, workshop: Workshop) -> Workshop:
    """Show the result of the dot vote: the counts go out now, for the first time (decision 28)."""
    from lab.workshops.selectors import dot_counts

    with transaction.atomic():
        shown = _control(actor, workshop, votes_shown=True)
        announce(shown, "votes.shown", {"counts": {str(k): v for k, v in dot_counts(shown).items()}})
    return shown


def end_workshop(*, actor, workshop: Workshop) -> Workshop:
    """End it: the board is read-only from now on, and everyone who took part is asked how it was."""
    from lab.workshops.services.feedback import ask_participants

    with transaction.atomic():
        ended = _control(actor, workshop, state=WorkshopState.ENDED, timer_ends_at=None)
        ask_participants(ended)
        invalidate_pages_after_commit()
    return ended


def write_summary(*, actor, workshop: Workshop, summary: str, results_visibility: str) -> Workshop:
    """The facilitator's summary, and who sees the results (participants only, or everyone)."""
    from lab.models import ResultsVisibility

    if results_visibility not in ResultsVisibility.values:
        raise WorkshopError(_("Kies wie de resultaten ziet."), code="invalid")
    summary = plain(summary, field=_("samenvatting"), max_length=5000)
    with transaction.atomic():
        locked = lock_workshop(workshop)
        require_perm(actor, "lab.write_summary", locked, _("Alleen de begeleiders schrijven de samenvatting."))
        locked.summary, locked.results_visibility = summary, results_visibility
        locked.save(update_fields=["summary", "results_visibility", "updated_at"])
        invalidate_pages_after_commit()
    return locked


def lock_lane(*, actor, lane: Lane, locked: bool) -> Lane:
    with transaction.atomic():
        workshop = lock_workshop(lane.workshop_id)
        require_perm(actor, "lab.run_workshop", workshop, _("Alleen de begeleiders bedienen de werksessie."))
        lane = Lane.objects.get(pk=lane.pk, workshop=workshop)
        lane.locked = bool(locked)
        lane.save(update_fields=["locked"])
        announce(workshop, "lane.changed", lane_payload(lane), subject=f"lane:{lane.pk}")
    return lane


def add_stage(*, actor, workshop: Workshop, title: str) -> Stage:
    with transaction.atomic():
        locked = lock_workshop(workshop)
        require_perm(actor, "lab.change_workshop", locked)
        if locked.stages.count() >= MAX_STAGES:
            raise WorkshopError(_("Een klantreis heeft hoogstens 12 fasen."), code="shape")
        order = (locked.stages.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        stage = Stage.objects.create(workshop=locked, order=order,
                                     title=plain(title, field=_("fase"), max_length=80, required=True))
        announce(locked, "stage.added", stage_payload(stage), subject=f"stage:{stage.pk}")
    return stage


def add_lane(*, actor, workshop: Workshop, title: str, kind: str = LaneKind.OTHER) -> Lane:
    if kind not in LaneKind.values:
        raise WorkshopError(_("Dat soort rij bestaat niet."), code="invalid")
    with transaction.atomic():
        locked = lock_workshop(workshop)
        require_perm(actor, "lab.change_workshop", locked)
        if locked.lanes.count() >= MAX_LANES:
            raise WorkshopError(_("Een klantreis heeft hoogstens 12 rijen."), code="shape")
        order = (locked.lanes.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        lane = Lane.objects.create(workshop=locked, kind=kind, order=order,
                                   title=plain(title, field=_("rij"), max_length=80, required=True))
        announce(locked, "lane.added", lane_payload(lane), subject=f"lane:{lane.pk}")
    return lane
