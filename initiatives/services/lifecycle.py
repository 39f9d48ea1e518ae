"""The life of an initiative, one service per step. Every step locks the row, checks the state first
(``InvalidTransition``, nothing changed), then the rule (``PermissionDenied``), records an
``InitiativeEvent`` (who, when, from, to, why) and notifies the people concerned after commit.

draft ─submit→ submitted ─approve→ published ─(asks money)→ funding ─deadline→ funded | not_funded
  submitted ─request_changes→ changes_requested ─submit→ submitted
  submitted ─decline→ declined ─request_reconsideration (once)→ submitted
  published | funded ─mark_realised→ realised;  published | funded | not_funded | realised | declined ─archive→ archived
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pagecache import invalidate_pages_after_commit
from initiatives.models import Initiative, InitiativeUpdate, Status, Theme
from initiatives.notification_kinds import DECISION, OUTCOME, RECONSIDER, TO_REVIEW
from initiatives.services._common import (
    copy_state,
    council_of,
    initiators_of,
    lock_initiative,
    record_event,
    require_perm,
)
from initiatives.services.errors import InitiativeError, InvalidTransition, PossibleDuplicate
from initiatives.services.notifications import settle_council_questions, tell
from initiatives.services.text import clean_plain_text, clean_rich_text

MIN_GOAL = Decimal("1.00")
MAX_GOAL = Decimal("100000.00")
MAX_CO_INITIATORS = 5
DRAFT_REPEAT_WINDOW = timedelta(minutes=10)


class _Unset:
    def __repr__(self):
        return "UNSET"


UNSET = _Unset()


def _invalid(initiative: Initiative, action_label: str) -> InvalidTransition:
    return InvalidTransition(
        _("Dit kan nu niet: het initiatief is %(status)s, dus %(action)s is niet mogelijk.")
        % {"status": initiative.get_status_display(), "action": action_label},
        code="invalid_transition",
    )


def _move(initiative: Initiative, *, actor, action: str, to_status: str, reason: str = "") -> None:
    from_status = initiative.status
    initiative.status = to_status
    record_event(initiative=initiative, actor=actor, action=action, from_status=from_status, to_status=to_status,
                 reason=reason)




# --- Validation of what initiators write ----------------------------------------------------------


def _clean_goal(goal) -> Decimal | None:
    if goal in (None, ""):
        return None
    from initiatives.money import parse_euro

    try:
        return parse_euro(goal, minimum=MIN_GOAL, maximum=MAX_GOAL, code="goal")
    except ValidationError as error:
        raise InitiativeError(error.messages[0], code="goal") from None


def _clean_location(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    if latitude in (None, "") or longitude in (None, ""):
        raise InitiativeError(_("Kies een plek op de kaart, of laat de plek helemaal leeg."), code="location")
    from maps.geo import rounded, validate_location

    validate_location(latitude, longitude)
    return rounded(latitude), rounded(longitude)


def _clean_fields(values: dict) -> dict:
    """Sanitise and check the editable fields present in ``values``; raise ``InitiativeError`` on bad input."""
    cleaned = {}
    if "title" in values:
        title = clean_plain_text(values["title"])
        if len(title) < 5 or len(title) > 120:
            raise InitiativeError(_("Geef uw initiatief een titel van 5 tot 120 tekens."), code="title")
        cleaned["title"] = title
    if "summary" in values:
        summary = clean_plain_text(values["summary"])
        if len(summary) > 300:
            raise InitiativeError(_("De samenvatting mag hoogstens 300 tekens zijn."), code="summary")
        cleaned["summary"] = summary
    if "story" in values:
        cleaned["story"] = clean_rich_text(values["story"])
    if "theme" in values:
        if values["theme"] not in Theme.values:
            raise InitiativeError(_("Kies een thema uit de lijst."), code="theme")
        cleaned["theme"] = values["theme"]
    if "location_label" in values:
        cleaned["location_label"] = clean_plain_text(values["location_label"])[:200]
    if "latitude" in values or "longitude" in values:
        cleaned["latitude"], cleaned["longitude"] = _clean_location(values.get("latitude"), values.get("longitude"))
    if "goal" in values:
        cleaned["goal"] = _clean_goal(values["goal"])
    if "needs_volunteers" in values:
        try:
            volunteers = int(values["needs_volunteers"] or 0)
        except (TypeError, ValueError):
            volunteers = -1
        if not 0 <= volunteers <= 1000:
            raise InitiativeError(_("Vul een aantal vrijwilligers in van 0 tot 1000."), code="needs_volunteers")
        cleaned["needs_volunteers"] = volunteers
    if "needs_materials" in values:
        cleaned["needs_materials"] = clean_plain_text(values["needs_materials"])[:2000]
    if "deadline" in values:
        deadline = values["deadline"]
        if deadline is not None and not isinstance(deadline, date):
            raise InitiativeError(_("Vul een geldige einddatum in."), code="deadline")
        cleaned["deadline"] = deadline
    if "kern" in values:
        if values["kern"] is None:
            raise InitiativeError(_("Kies de kern waar uw initiatief over gaat."), code="kern")
        cleaned["kern"] = values["kern"]
    return cleaned


def _set_co_initiators(initiative: Initiative, users: Iterable) -> None:
    users = [u for u in users if u is not None and u.pk != initiative.initiator_id]
    if len(users) > MAX_CO_INITIATORS:
        raise InitiativeError(_("U kunt hoogstens vijf mede-initiatiefnemers toevoegen."), code="co_initiators")
    initiative.co_initiators.set(users)
    initiative._initiator_ids = None


# --- Draft ---------------------------------------------------------------------------------------------


def create_draft(*, initiator, title: str, kern=None, summary: str = "", story: str = "", theme: str = Theme.OTHER,
                 latitude=None, longitude=None, location_label: str = "", goal=None, needs_volunteers: int = 0,
                 needs_materials: str = "", deadline: date | None = None, co_initiators: Iterable = (),
                 client_key: str = "", confirm_repeat: bool = False) -> Initiative:
    """Save a first draft. Precondition: ``initiator`` may create initiatives (a signed-in resident with a kern).

    ``kern`` defaults to the initiator's own kern. Only the title is required for a draft. ``client_key`` (the
    start form's one-time key): the same key again returns the draft made the first time. From a form (a key is
    given), a second draft with the same title within ten minutes is a ``PossibleDuplicate`` unless
    ``confirm_repeat``.
    """
    require_perm(initiator, "initiatives.create_initiative", None,
                 _("Meld u aan en kies uw kern om een initiatief te starten."))
    client_key = (client_key or "").strip()[:80]
    if client_key:
        existing = Initiative.objects.filter(initiator=initiator, client_key=client_key).first()
        if existing is not None:
            return existing
    cleaned = _clean_fields({
        "title": title, "kern": kern or initiator.kern, "summary": summary, "story": story, "theme": theme,
        "latitude": latitude, "longitude": longitude, "location_label": location_label, "goal": goal,
        "needs_volunteers": needs_volunteers, "needs_materials": needs_materials, "deadline": deadline,
    })
    _check_deadline_ahead(cleaned.get("deadline"))
    if client_key and not confirm_repeat and Initiative.objects.filter(
            initiator=initiator, status=Status.DRAFT, title__iexact=cleaned["title"],
            created_at__gte=timezone.now() - DRAFT_REPEAT_WINDOW).exists():
        raise PossibleDuplicate(
            _("U heeft zojuist al een concept met de titel “%(title)s” gemaakt. Nog een concept met deze titel?")
            % {"title": cleaned["title"]}, code="possible_duplicate")
    try:
        with transaction.atomic():
            initiative = Initiative.objects.create(initiator=initiator, status=Status.DRAFT, client_key=client_key,
                                                   **cleaned)
            _set_co_initiators(initiative, co_initiators)
            record_event(initiative=initiative, actor=initiator, action="create", to_status=Status.DRAFT)
    except IntegrityError:
        existing = Initiative.objects.filter(initiator=initiator, client_key=client_key).first() \
            if client_key else None
        if existing is None:
            raise
        return existing  # a parallel copy of the same form got there first
    return initiative


def delete_draft(*, actor, initiative: Initiative) -> None:
    """The main initiator throws a draft away: the row, its events, supports and thread go; the photo files
    are removed after commit. Only drafts (never submitted, so nobody else has seen or pledged to it)."""
    from django.core.files.storage import default_storage

    with transaction.atomic():
        locked = lock_initiative(initiative)
        if locked.status != Status.DRAFT:
            raise _invalid(locked, _("weggooien"))
        require_perm(actor, "initiatives.delete_initiative", locked,
                     _("Alleen wie het initiatief begon, kan een concept weggooien."))
        names = [r["name"] for photo in locked.photos.all() for r in (photo.renditions or [])]
        names += [photo.image.name for photo in locked.photos.all() if photo.image]
        locked.delete()
        invalidate_pages_after_commit()
        transaction.on_commit(lambda: [default_storage.delete(name) for name in dict.fromkeys(names)])


def _check_deadline_ahead(deadline: date | None, today: date | None = None) -> None:
    if deadline is not None and deadline < (today or timezone.localdate()):
        raise InitiativeError(_("De einddatum ligt in het verleden. Kies een datum vanaf vandaag."),
                              code="deadline")


def update_draft(*, actor, initiative: Initiative, title=UNSET, summary=UNSET, story=UNSET, theme=UNSET,
                 kern=UNSET, latitude=UNSET, longitude=UNSET, location_label=UNSET, goal=UNSET,
                 needs_volunteers=UNSET, needs_materials=UNSET, deadline=UNSET, co_initiators=UNSET) -> Initiative:
    """Change the fields given (others stay). Only initiators, only in draft or changes requested."""
    values = {name: value for name, value in {
        "title": title, "summary": summary, "story": story, "theme": theme, "kern": kern, "latitude": latitude,
        "longitude": longitude, "location_label": location_label, "goal": goal,
        "needs_volunteers": needs_volunteers, "needs_materials": needs_materials, "deadline": deadline,
    }.items() if value is not UNSET}
    if ("latitude" in values) != ("longitude" in values):
        values.setdefault("latitude", initiative.latitude)
        values.setdefault("longitude", initiative.longitude)
    cleaned = _clean_fields(values)
    if "deadline" in cleaned and cleaned["deadline"] != initiative.deadline:
        _check_deadline_ahead(cleaned["deadline"])
    with transaction.atomic():
        locked = lock_initiative(initiative)
        if not locked.is_editable:
            raise _invalid(locked, _("aanpassen"))
        require_perm(actor, "initiatives.change_initiative", locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save()
        if co_initiators is not UNSET:
            _set_co_initiators(locked, co_initiators)
        invalidate_pages_after_commit()  # its card and its kept story show what changed (to its initiators)
    copy_state(target=initiative, source=locked)
    return locked


def _check_complete(initiative: Initiative, today: date) -> None:
    missing = []
    if not initiative.summary:
        missing.append(_("een korte samenvatting"))
    if not initiative.story:
        missing.append(_("uw verhaal"))
    if initiative.asks_money and initiative.deadline is None:
        missing.append(_("een einddatum voor het inzamelen"))
    if missing:
        raise InitiativeError(_("Vul nog in: %(missing)s.") % {"missing": ", ".join(str(m) for m in missing)},
                              code="incomplete")
    if initiative.asks_money and initiative.deadline <= today:
        raise InitiativeError(_("De einddatum moet na vandaag liggen."), code="deadline")


def submit_initiative(*, actor, initiative: Initiative, today: date | None = None) -> Initiative:
    """Send a draft (or a changed initiative) to the kern's village council."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = lock_initiative(initiative)
        if locked.status not in (Status.DRAFT, Status.CHANGES_REQUESTED):
            raise _invalid(locked, _("indienen"))
        require_perm(actor, "initiatives.submit_initiative", locked)
        _check_complete(locked, today)
        _move(locked, actor=actor, action="submit", to_status=Status.SUBMITTED)
        locked.submitted_at = timezone.now()
        locked.save()
        tell(kind=TO_REVIEW, recipients=council_of(locked), initiative=locked, actor=actor, awaits_decision=True)
    copy_state(target=initiative, source=locked)
    return locked


# --- Moderation by the village council --------------------------------------------------------------


def _moderate(initiative: Initiative, actor, action_label: str) -> Initiative:
    locked = lock_initiative(initiative)
    if locked.status != Status.SUBMITTED:
        raise _invalid(locked, action_label)
    require_perm(actor, "initiatives.moderate_initiative", locked,
                 _("Alleen de dorpsraad van de kern of een medewerker beoordeelt dit initiatief. "
                   "Uw eigen initiatief beoordeelt u nooit zelf."))
    return locked


def _required_reason(reason: str, message: str) -> str:
    reason = clean_plain_text(reason)
    if not reason:
        raise InitiativeError(message, code="reason_required")
    return reason[:4000]


def approve_initiative(*, actor, initiative: Initiative, reason: str = "", today: date | None = None) -> Initiative:
    """Publish a submitted initiative; one that asks money goes on to funding at once."""
    today = today or timezone.localdate()
    reason = clean_plain_text(reason)
    with transaction.atomic():
        locked = _moderate(initiative, actor, _("goedkeuren"))
        if locked.asks_money and (locked.deadline is None or locked.deadline < today):
            raise InitiativeError(
                _("De einddatum voor het inzamelen is al voorbij. Vraag de initiatiefnemer om een nieuwe datum."),
                code="deadline")
        _move(locked, actor=actor, action="approve", to_status=Status.PUBLISHED, reason=reason)
        locked.published_at = timezone.now()
        locked.last_decision_reason = reason
        if locked.asks_money:
            _move(locked, actor=actor, action="start_funding", to_status=Status.FUNDING)
        locked.save()
        settle_council_questions(locked)
        tell(kind=DECISION, recipients=initiators_of(locked), initiative=locked, params={"variant": "approved"},
             body=reason, actor=actor)
    copy_state(target=initiative, source=locked)
    return locked


def request_changes(*, actor, initiative: Initiative, comment: str) -> Initiative:
    """Send a submitted initiative back to its initiators with the council's comment (required)."""
    comment = _required_reason(comment, _("Schrijf erbij wat er aangepast moet worden."))
    with transaction.atomic():
        locked = _moderate(initiative, actor, _("om aanpassing vragen"))
        _move(locked, actor=actor, action="request_changes", to_status=Status.CHANGES_REQUESTED, reason=comment)
        locked.last_decision_reason = comment
        locked.save()
        settle_council_questions(locked)
        tell(kind=DECISION, recipients=initiators_of(locked), initiative=locked, params={"variant": "changes"},
             body=comment, actor=actor)
    copy_state(target=initiative, source=locked)
    return locked


def decline_initiative(*, actor, initiative: Initiative, reason: str) -> Initiative:
    """Decline a submitted initiative; the reason (required) is shown to the initiators."""
    reason = _required_reason(reason, _("Schrijf erbij waarom het initiatief is afgewezen."))
    with transaction.atomic():
        locked = _moderate(initiative, actor, _("afwijzen"))
        _move(locked, actor=actor, action="decline", to_status=Status.DECLINED, reason=reason)
        locked.last_decision_reason = reason
        locked.save()
        settle_council_questions(locked)
        tell(kind=DECISION, recipients=initiators_of(locked), initiative=locked, params={"variant": "declined"},
             body=reason, actor=actor)
    copy_state(target=initiative, source=locked)
    return locked


def request_reconsideration(*, actor, initiative: Initiative, reason: str = "") -> Initiative:
    """Ask the council once to look again at a declined initiative: it goes back to submitted."""
    reason = clean_plain_text(reason)[:4000]
    with transaction.atomic():
        locked = lock_initiative(initiative)
        if locked.status != Status.DECLINED:
            raise _invalid(locked, _("om heroverweging vragen"))
        if locked.reconsideration_requested:
            raise InvalidTransition(_("U heeft al een keer om heroverweging gevraagd. Dat kan maar één keer."),
                                    code="reconsideration_used")
        require_perm(actor, "initiatives.request_reconsideration", locked)
        _move(locked, actor=actor, action="request_reconsideration", to_status=Status.SUBMITTED, reason=reason)
        locked.reconsideration_requested = True
        locked.submitted_at = timezone.now()
        locked.save()
        tell(kind=RECONSIDER, recipients=council_of(locked), initiative=locked, body=reason, actor=actor,
             awaits_decision=True)
    copy_state(target=initiative, source=locked)
    return locked


# --- After publication -----------------------------------------------------------------------------------


def start_funding(*, actor, initiative: Initiative, today: date | None = None) -> Initiative:
    """Open a published initiative that asks money for pledges (initiators or moderators)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = lock_initiative(initiative)
        if locked.status != Status.PUBLISHED or not locked.asks_money:
            raise _invalid(locked, _("geld inzamelen"))
        require_perm(actor, "initiatives.start_funding", locked)
        if locked.deadline is None or locked.deadline < today:
            raise InitiativeError(_("De einddatum voor het inzamelen is al voorbij."), code="deadline")
        _move(locked, actor=actor, action="start_funding", to_status=Status.FUNDING)
        locked.save()
        tell(kind=OUTCOME, recipients=_audience(locked), initiative=locked, params={"variant": "funding"},
             actor=actor, event_key=f"funding:{locked.pk}")
    copy_state(target=initiative, source=locked)
    return locked


def mark_realised(*, actor, initiative: Initiative, result_text: str) -> Initiative:
    """The plan happened: store the result (required) as an update and tell followers, supporters and pledgers."""
    result = clean_rich_text(result_text)
    if not clean_plain_text(result):
        raise InitiativeError(_("Vertel in een paar zinnen wat er is bereikt."), code="result_required")
    with transaction.atomic():
        locked = lock_initiative(initiative)
        if locked.status not in (Status.PUBLISHED, Status.FUNDED):
            raise _invalid(locked, _("als gerealiseerd markeren"))
        require_perm(actor, "initiatives.realise_initiative", locked)
        _move(locked, actor=actor, action="realise", to_status=Status.REALISED)
        locked.result_text = result
        locked.save()
        InitiativeUpdate.objects.create(initiative=locked, author=actor, title=_("Het is gelukt!"), body=result,
                                        is_result=True)
        tell(kind=OUTCOME, recipients=_audience(locked), initiative=locked, params={"variant": "realised"},
             actor=actor, event_key=f"realised:{locked.pk}")
    copy_state(target=initiative, source=locked)
    return locked


ARCHIVABLE = (Status.PUBLISHED, Status.FUNDED, Status.NOT_FUNDED, Status.REALISED, Status.DECLINED)


def archive_initiative(*, actor, initiative: Initiative, reason: str = "") -> Initiative:
    """Put a finished initiative in the archive (council of the kern or staff); it stays readable."""
    with transaction.atomic():
        locked = lock_initiative(initiative)
        if locked.status not in ARCHIVABLE:
            raise _invalid(locked, _("archiveren"))
        require_perm(actor, "initiatives.archive_initiative", locked)
        _move(locked, actor=actor, action="archive", to_status=Status.ARCHIVED, reason=clean_plain_text(reason))
        locked.save()
    copy_state(target=initiative, source=locked)
    return locked


def _audience(initiative: Initiative) -> list:
    """Everyone who cares: initiators, followers, supporters and pledgers (each once)."""
    from django.db.models import Q

    from community.models import User

    concerned = (Q(pk=initiative.initiator_id) | Q(co_initiatives=initiative)
                 | Q(initiative_follows__initiative=initiative) | Q(initiative_supports__initiative=initiative)
                 | Q(pledges__initiative=initiative))
    return list(User.objects.filter(is_active=True).filter(concerned).distinct())
