"""Triage after the walk: decide per observation (or a bundle), merge duplicates, correct theme and place.

Every change is locked, audited (``TriageEntry``) with a reason, shown live on the walk's map, and told to
the walker who saw it. Reports to the municipality go through the outbox (``maps.handoff``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.notifications.services import notify
from maps import geo
from maps.models import MunicipalReport, Observation, ObservationState, ObservationTheme, TriageEntry
from maps.models.observations import TRIAGED_STATES
from maps.notification_kinds import INITIATIVE_OFFERED, OBSERVATION_OUTCOME
from maps.services._common import check_location, plain, require_perm
from maps.services.errors import WalkError, WalkStateError
from maps.services.observations import changed

DECISIONS = (ObservationState.REPORTED, ObservationState.INITIATIVE, ObservationState.NO_ACTION,
             ObservationState.PRAISE)
MAX_BUNDLE = 200
TRIAGE_REFUSED = _("Alleen de dorpsraad van deze kern en medewerkers beoordelen de waarnemingen, na de start "
                   "van de wijkschouw.")


def _lock_all(ids: Iterable[int]) -> list[Observation]:
    """Lock the observations in id order (two bundles that overlap never wait on each other in a circle)."""
    ids = sorted(set(ids))
    found = list(Observation.objects.select_for_update(of=("self",)).select_related("walk__kern", "author")
                 .filter(pk__in=ids).order_by("pk"))
    if len(found) != len(ids):
        raise WalkError(_("Een van de waarnemingen bestaat niet (meer)."), code="not_found")
    return found


def _audit(observation: Observation, *, actor, action: str, from_state: str = "", to_state: str = "",
           reason: str = "", changes: dict | None = None) -> None:
    TriageEntry.objects.create(observation=observation, actor=actor if actor and actor.is_authenticated else None,
                               action=action, from_state=from_state, to_state=to_state, reason=reason,
                               changes=changes or {})


def _tell_walker(observation: Observation, *, actor, variant: str, params: dict | None = None, key: str) -> None:
    """The walker who saw it (and those whose duplicates were merged into it) hear what happened."""
    people = [observation.author, *[o.author for o in observation.merged.select_related("author")]]
    notify(kind=OBSERVATION_OUTCOME, recipients=people, actor=actor, kern=observation.walk.kern_id,
           params={"variant": variant, "title": observation.walk.title, **(params or {})},
           body=observation.decision_reason, url=observation.get_absolute_url(),
           about=observation.subject, event_key=key)


def decide(*, actor, observations: Iterable[Observation | int], decision: str, reason: str,
           offer_to=None) -> list[Observation]:
    """Decide about one observation or a bundle: report, initiative, no action or praise, with a reason.

    ``offer_to`` (for "becomes an initiative"): who gets the draft initiative, the observer or a member
    of the council; the actor by default. An observation already decided on is decided again only
    from a decision that sent nothing out: a report that went to the municipality stays reported.
    """
    if decision not in DECISIONS:
        raise WalkError(_("Kies wat er met de waarneming gebeurt."), code="decision")
    reason = plain(reason, field=_("toelichting"), max_length=2000, required=True)
    ids = [o if isinstance(o, int) else o.pk for o in observations]
    if not ids or len(set(ids)) > MAX_BUNDLE:
        raise WalkError(_("Kies 1 tot %(n)s waarnemingen.") % {"n": MAX_BUNDLE}, code="bundle")
    with transaction.atomic():
        locked = _lock_all(ids)
        for observation in locked:
            require_perm(actor, "maps.triage", observation, TRIAGE_REFUSED)
            if observation.state in (ObservationState.MERGED, ObservationState.REPORTED,
                                     ObservationState.INITIATIVE):
                raise WalkStateError(_("Over “%(what)s” is al besloten: %(state)s.")
                                     % {"what": observation.description[:60],
                                        "state": observation.get_state_display()}, code="decided")
        for observation in locked:
            _apply(observation, actor=actor, decision=decision, reason=reason, offer_to=offer_to)
    return locked


def _apply(observation: Observation, *, actor, decision: str, reason: str, offer_to) -> None:
    before = observation.state
    observation.state, observation.decision_reason, observation.decided_at = decision, reason, timezone.now()
    if decision == ObservationState.INITIATIVE:
        observation.initiative = _draft_initiative(observation, actor=actor, offer_to=offer_to)
    observation.save(update_fields=["state", "decision_reason", "decided_at", "initiative", "updated_at"])
    _audit(observation, actor=actor, action=TriageEntry.Action.DECIDE, from_state=before, to_state=decision,
           reason=reason)
    if decision == ObservationState.REPORTED:
        from maps.handoff.outbox import enqueue_report

        enqueue_report(observation=observation, actor=actor)
    changed(observation)
    _tell_walker(observation, actor=actor, variant=decision, key=f"observation_decided:{observation.pk}:{decision}")


def _draft_initiative(observation: Observation, *, actor, offer_to):
    """A draft initiative prefilled with the observation's place, text and photos, for ``offer_to``."""
    from initiatives.images import process_image
    from initiatives.models import Theme
    from initiatives.services import create_draft
    from initiatives.services.photos import add_photo

    initiator = offer_to or actor
    if initiator.pk not in {actor.pk, observation.author_id} and not _sits_on_council(initiator, observation):
        raise WalkError(_("Bied het initiatief aan de waarnemer of aan een lid van de dorpsraad aan."),
                        code="offer_to")
    themes = {ObservationTheme.GREEN: Theme.GREEN, ObservationTheme.PLAY: Theme.PLAY,
              ObservationTheme.TRAFFIC: Theme.TRAFFIC}
    walk = observation.walk
    title = (_("%(theme)s: %(place)s") % {"theme": observation.get_theme_display().capitalize(),
                                          "place": observation.place_text or walk.kern.name})[:120]
    draft = create_draft(
        initiator=initiator, title=title, kern=walk.kern, theme=themes.get(observation.theme, Theme.OTHER),
        summary=observation.description[:300],
        story=_("<p>Gezien tijdens de wijkschouw “%(walk)s”.</p>") % {"walk": walk.title},
        latitude=observation.latitude, longitude=observation.longitude,
        location_label=observation.place_text[:200], goal=None, client_key=f"observation:{observation.pk}",
    )
    if not draft.photos.exists():
        from django.core.files.storage import default_storage

        for photo in observation.photos.all():
            with default_storage.open(photo.image.name, "rb") as handle:
                add_photo(actor=initiator, initiative=draft, image=process_image(handle.read()),
                          alt_text=photo.alt_text or observation.get_theme_display())
    notify(kind=INITIATIVE_OFFERED, recipients=[initiator], actor=actor, kern=walk.kern_id,
           params={"title": draft.title}, url=draft.get_absolute_url(), event_key=f"initiative_offered:{draft.pk}")
    return draft


def _sits_on_council(person, observation: Observation) -> bool:
    """Whether ``person`` sits on the council of the observation's kern (or is staff)."""
    from core.permissions import may

    return may(person, "community.moderate_kern", observation.walk.kern)


def merge(*, actor, survivor: Observation | int, duplicates: Iterable[Observation | int], reason: str) -> Observation:
    """Merge duplicates into ``survivor``: they disappear from maps and lists, their walkers follow the survivor."""
    reason = plain(reason, field=_("toelichting"), max_length=2000, required=True)
    survivor_id = survivor if isinstance(survivor, int) else survivor.pk
    duplicate_ids = {d if isinstance(d, int) else d.pk for d in duplicates} - {survivor_id}
    if not duplicate_ids:
        raise WalkError(_("Kies minstens één andere waarneming om samen te voegen."), code="bundle")
    with transaction.atomic():
        locked = {o.pk: o for o in _lock_all([survivor_id, *duplicate_ids])}
        kept = locked[survivor_id]
        for observation in locked.values():
            require_perm(actor, "maps.triage", observation, TRIAGE_REFUSED)
            if observation.walk_id != kept.walk_id:
                raise WalkError(_("Alleen waarnemingen van dezelfde wijkschouw worden samengevoegd."), code="walk")
            if observation.state == ObservationState.MERGED:
                raise WalkStateError(_("Een van de waarnemingen is al samengevoegd."), code="decided")
        for pk in sorted(duplicate_ids):
            duplicate = locked[pk]
            if duplicate.state in (ObservationState.REPORTED, ObservationState.INITIATIVE):
                raise WalkStateError(_("Een waarneming die al is gemeld of een initiatief wordt, blijft staan."),
                                     code="decided")
            before = duplicate.state
            duplicate.state, duplicate.merged_into, duplicate.decision_reason = ObservationState.MERGED, kept, reason
            duplicate.save(update_fields=["state", "merged_into", "decision_reason", "updated_at"])
            _audit(duplicate, actor=actor, action=TriageEntry.Action.MERGE, from_state=before,
                   to_state=ObservationState.MERGED, reason=reason, changes={"merged_into": kept.pk})
            changed(duplicate)
        _audit(kept, actor=actor, action=TriageEntry.Action.MERGE, reason=reason,
               changes={"merged": sorted(duplicate_ids)})
        changed(kept)
    return kept


def correct(*, actor, observation: Observation | int, reason: str, theme: str | None = None, latitude=None,
            longitude=None, address: str | None = None) -> Observation:
    """Correct the theme or the place of an observation (the walker's text stays theirs)."""
    reason = plain(reason, field=_("toelichting"), max_length=2000, required=True)
    with transaction.atomic():
        (locked,) = _lock_all([observation if isinstance(observation, int) else observation.pk])
        require_perm(actor, "maps.triage", locked, TRIAGE_REFUSED)
        changes = {}
        if theme is not None and theme != locked.theme:
            if theme not in ObservationTheme.values:
                raise WalkError(_("Kies een thema uit de lijst."), code="theme")
            changes["theme"] = [locked.theme, theme]
            locked.theme = theme
        if latitude is not None or longitude is not None:
            check_location(latitude, longitude)
            new = (geo.rounded(latitude), geo.rounded(longitude))
            if new != (locked.latitude, locked.longitude):
                changes["place"] = [[str(locked.latitude), str(locked.longitude)], [str(new[0]), str(new[1])]]
                locked.latitude, locked.longitude = new
        if address is not None:
            address = plain(address, field=_("adres"), max_length=200)
            if address != locked.address:
                changes["address"] = [locked.address, address]
                locked.address = address
        if not changes:
            return locked
        locked.save()
        _audit(locked, actor=actor, action=TriageEntry.Action.CORRECT, reason=reason, changes=changes)
        changed(locked)
    return locked


def report_status_changed(*, report: MunicipalReport) -> None:
    """The municipality gave the melding a number or a new status: audit it, show it live, tell the walker.

    Precondition: ``report``'s new ``external_id``/``external_status`` are saved; call inside a transaction.
    """
    observation = Observation.objects.select_related("walk__kern", "author").get(pk=report.observation_id)
    status = report.external_status_text or report.external_status or str(report.get_state_display())
    _audit(observation, actor=None, action=TriageEntry.Action.REPORT_STATUS,
           changes={"number": report.external_id, "status": report.external_status}, reason=status)
    changed(observation)
    _tell_walker(observation, actor=None, variant="report_status", params={"status": status},
                 key=f"report_status:{report.pk}:{report.external_id}:{report.external_status}")


__all__ = ["DECISIONS", "TRIAGED_STATES", "correct", "decide", "merge", "report_status_changed"]
