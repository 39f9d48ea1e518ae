"""The village council's agenda: a threshold of supporters per kern, the initiatives that reach it, the meeting
date and the council's decision.

    support (or a new threshold) ─reach→ on the agenda ─schedule→ with a meeting date ─record outcome→ decided

An initiative reaches the agenda once, in one of two ways: the support that makes it reach the threshold
(``place_if_reached``, called by ``support`` under the initiative's lock) or a threshold saved that it already
meets (``set_support_threshold``). Withdrawn support afterwards leaves it on the agenda. Every step locks the
initiative's row, so parallel supports and a threshold saved at the same moment place it exactly once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.pagecache import invalidate_pages_after_commit
from initiatives.models import AgendaOutcome, CouncilAgendaItem, Initiative, Support, SupportThreshold
from initiatives.models.agenda import AGENDA_STATUSES, MAX_THRESHOLD, MIN_THRESHOLD
from initiatives.notification_kinds import COUNCIL_OUTCOME, ON_COUNCIL_AGENDA
from initiatives.services._common import council_of, lock_initiative, record_event, require_perm
from initiatives.services.errors import InitiativeError, InvalidTransition
from initiatives.services.notifications import settle_agenda_questions, tell
from initiatives.services.text import clean_plain_text

HANDLE = "initiatives.handle_agenda_item"
DECIDED_OUTCOMES = (AgendaOutcome.ADOPTED, AgendaOutcome.REJECTED, AgendaOutcome.REFERRED)
MAX_OUTCOME_TEXT = 1000
MEETING_AHEAD = datetime.timedelta(days=2 * 365)


@dataclass(frozen=True)
class ThresholdResult:
    threshold: SupportThreshold
    placed: list[Initiative]  # what the new threshold put on the agenda at once


# --- The threshold -------------------------------------------------------------------------------------


def check_threshold(supporters) -> int:
    """The number itself, or ``InitiativeError`` (code ``supporters``): a whole number from 1 to 100,000."""
    if isinstance(supporters, bool) or not isinstance(supporters, int) \
            or not MIN_THRESHOLD <= supporters <= MAX_THRESHOLD:
        raise InitiativeError(_("Vul een aantal in van 1 tot 100.000."), code="supporters")
    return supporters


def set_support_threshold(*, actor, kern, supporters: int) -> ThresholdResult:
    """Set how many supporters put an initiative of ``kern`` on its council's agenda (council of that kern, staff).

    Initiatives that already have that many supporters go on the agenda now, and the council hears of each.
    """
    supporters = check_threshold(supporters)
    require_perm(actor, "initiatives.set_support_threshold", kern,
                 _("Alleen de dorpsraad van deze kern of een medewerker stelt de drempel in."))
    with transaction.atomic():
        # update_or_create locks the kern's row: two saves for one kern sweep one after the other.
        threshold, _created = SupportThreshold.objects.update_or_create(
            kern=kern, defaults={"supporters": supporters, "set_by": actor, "set_at": timezone.now()})
        placed = _sweep(kern_id=kern.pk, threshold=supporters)
        invalidate_pages_after_commit()  # initiative pages show how much support is still needed
    return ThresholdResult(threshold=threshold, placed=placed)


def _sweep(*, kern_id: int, threshold: int) -> list[Initiative]:
    """Put every initiative of the kern that meets ``threshold`` on the agenda. Precondition: the kern's
    threshold row is locked."""
    candidates = list(Initiative.objects.select_for_update(no_key=True)  # as ``support`` locks them
                      .filter(kern_id=kern_id, status__in=AGENDA_STATUSES)
                      .exclude(pk__in=CouncilAgendaItem.objects.values("initiative_id")).order_by("pk"))
    if not candidates:
        return []
    ids = [initiative.pk for initiative in candidates]
    # Read after the locks were granted: a support that placed one of them meanwhile has committed by now.
    already = set(CouncilAgendaItem.objects.filter(initiative_id__in=ids).values_list("initiative_id", flat=True))
    counts = dict(Support.objects.filter(initiative_id__in=ids).values("initiative_id")
                  .annotate(n=Count("pk")).values_list("initiative_id", "n"))
    placed = []
    for initiative in candidates:
        supporters = counts.get(initiative.pk, 0)
        if initiative.pk not in already and supporters >= threshold:
            _place(initiative, supporters=supporters)
            placed.append(initiative)
    return placed


# --- Reaching the agenda -----------------------------------------------------------------------------


def place_if_reached(initiative: Initiative) -> CouncilAgendaItem | None:
    """Put ``initiative`` on the agenda if its supporters reach its kern's threshold now.

    Precondition: lock held on the initiative's row (``lock_initiative``), so of parallel supports exactly one
    sees the count reach the threshold, and it sees the other supports that committed before it.
    """
    if initiative.status not in AGENDA_STATUSES:
        return None
    threshold = (SupportThreshold.objects.filter(kern_id=initiative.kern_id)
                 .values_list("supporters", flat=True).first())
    if threshold is None or CouncilAgendaItem.objects.filter(initiative_id=initiative.pk).exists():
        return None
    supporters = Support.objects.filter(initiative_id=initiative.pk).count()
    if supporters < threshold:
        return None
    return _place(initiative, supporters=supporters)


def _place(initiative: Initiative, *, supporters: int) -> CouncilAgendaItem:
    """Precondition: lock held on the initiative, which is not on the agenda. The council hears of it after commit."""
    item = CouncilAgendaItem.objects.create(initiative=initiative, reached_at=timezone.now(),
                                            supporters_at_reach=supporters)
    record_event(initiative=initiative, actor=None, action="council_agenda")
    # Only council members who may handle it when it is delivered: never the initiator on their own plan.
    tell(kind=ON_COUNCIL_AGENDA, recipients=council_of(initiative), initiative=initiative,
         params={"supporters": supporters}, event_key=f"council-agenda:{initiative.pk}", awaits=HANDLE)
    return item


# --- The council's meeting and decision ------------------------------------------------------------------


def _open_item(locked: Initiative) -> CouncilAgendaItem:
    """The initiative's agenda item while the council has not decided; ``InvalidTransition`` otherwise."""
    item = CouncilAgendaItem.objects.filter(initiative_id=locked.pk).first()
    if item is None:
        raise InvalidTransition(_("Dit initiatief staat niet op de agenda van de dorpsraad."), code="not_on_agenda")
    if item.is_decided:
        raise InvalidTransition(_("De dorpsraad heeft hier al over besloten."), code="agenda_decided")
    Initiative.council_agenda.related.set_cached_value(locked, item)  # the rule reads this one
    return item


def _require_handle(actor, locked: Initiative) -> None:
    require_perm(actor, HANDLE, locked,
                 _("Alleen de dorpsraad van de kern of een medewerker doet dit. Nooit bij uw eigen initiatief."))


def schedule_agenda_item(*, actor, initiative: Initiative, meeting_date: datetime.date,
                         today: datetime.date | None = None) -> CouncilAgendaItem:
    """Set (or move) the date of the council meeting that discusses the initiative."""
    if not isinstance(meeting_date, datetime.date) or isinstance(meeting_date, datetime.datetime):
        raise InitiativeError(_("Vul een geldige datum in."), code="meeting_date")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = lock_initiative(initiative)
        item = _open_item(locked)
        _require_handle(actor, locked)
        earliest = timezone.localdate(item.reached_at)
        if meeting_date < earliest:
            raise InitiativeError(_("Kies een datum vanaf %(date)s. Toen kwam het initiatief op de agenda.")
                                  % {"date": date_format(earliest, "j F Y")}, code="meeting_date")
        if meeting_date > today + MEETING_AHEAD:
            raise InitiativeError(_("Kies een datum binnen twee jaar."), code="meeting_date")
        item.meeting_date = meeting_date
        item.save(update_fields=["meeting_date"])
        record_event(initiative=locked, actor=actor, action="council_meeting", reason=meeting_date.isoformat())
    return item


def record_agenda_outcome(*, actor, initiative: Initiative, outcome: str, text: str) -> CouncilAgendaItem:
    """Record what the council decided, once. Initiators and supporters hear of it after commit."""
    if outcome not in DECIDED_OUTCOMES:
        raise InitiativeError(_("Kies een besluit: aangenomen, afgewezen of doorverwezen."), code="outcome")
    text = clean_plain_text(text)
    if not text:
        raise InitiativeError(_("Schrijf in een paar zinnen wat de dorpsraad besloot."), code="outcome_text")
    if len(text) > MAX_OUTCOME_TEXT:
        raise InitiativeError(_("Schrijf hoogstens 1000 tekens."), code="outcome_text")
    with transaction.atomic():
        locked = lock_initiative(initiative)
        item = _open_item(locked)
        _require_handle(actor, locked)
        item.outcome, item.outcome_text = outcome, text
        item.decided_at, item.decided_by = timezone.now(), actor
        item.save(update_fields=["outcome", "outcome_text", "decided_at", "decided_by"])
        record_event(initiative=locked, actor=actor, action="council_outcome",
                     reason=f"{item.get_outcome_display()}: {text}")
        settle_agenda_questions(locked)
        tell(kind=COUNCIL_OUTCOME, recipients=_initiators_and_supporters(locked), initiative=locked,
             params={"variant": outcome}, body=text, actor=actor, event_key=f"council-outcome:{locked.pk}")
    return item


def _initiators_and_supporters(initiative: Initiative) -> list:
    from community.models import User

    concerned = (Q(pk=initiative.initiator_id) | Q(co_initiatives=initiative)
                 | Q(initiative_supports__initiative=initiative))
    return list(User.objects.filter(is_active=True).filter(concerned).distinct())
