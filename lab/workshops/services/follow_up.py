"""What happens with the ideas: a card becomes a draft resident initiative or an action for staff with an owner.

The signed-in participants of the workshop are told (and told again at every change of status); the board's
stream says it too, so the results page shows it live. Participants without an account see it there.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.notifications.services import notify
from community.rules import is_staff
from lab.models import Card, FollowUpKind, FollowUpStatus, IdeaFollowUp, Participant
from lab.notification_kinds import IDEA_FOLLOWED_UP, INITIATIVE_OFFERED
from lab.workshops.services._common import WorkshopError, announce, lock_card, plain, require_perm

REFUSED = gettext_lazy("Alleen de begeleiders en medewerkers beslissen wat er met een idee gebeurt.")


def _payload(follow_up: IdeaFollowUp) -> dict:
    return {"card": follow_up.card_id, "kind": follow_up.kind, "title": follow_up.title,
            "status": follow_up.status, "status_label": str(follow_up.get_status_display()),
            "initiative_url": follow_up.initiative.get_absolute_url() if follow_up.initiative_id else ""}


def _tell(follow_up: IdeaFollowUp, *, actor, event_key: str) -> None:
    workshop = follow_up.card.workshop
    people = [p.user for p in Participant.objects.filter(workshop=workshop, user__isnull=False, anonymous=False)
              .select_related("user")]
    notify(kind=IDEA_FOLLOWED_UP, recipients=people, actor=actor, kern=workshop.kern_id, event_key=event_key,
           params={"workshop": workshop.title, "idea": follow_up.card.text[:120],
                   "outcome": str(follow_up.get_kind_display()), "status": str(follow_up.get_status_display())},
           url=follow_up.initiative.get_absolute_url() if follow_up.initiative_id else "")
    announce(workshop, "idea.followed_up", _payload(follow_up), subject=f"follow_up:{follow_up.card_id}")


def _new(actor, card: Card) -> Card:
    locked = lock_card(card)
    require_perm(actor, "lab.follow_up_idea", locked, REFUSED)
    if IdeaFollowUp.objects.filter(card=locked).exists():
        raise WorkshopError(_("Voor dit idee is al besloten wat er gebeurt."), code="state")
    return locked


def follow_up_as_initiative(*, actor, card: Card, offer_to) -> IdeaFollowUp:
    """A draft initiative with the idea's text, for ``offer_to`` (who wrote it, signed in, or anyone the actor
    names who may start initiatives); they are told it is waiting for them."""
    from initiatives.services import create_draft

    with transaction.atomic():
        locked = _new(actor, card)
        workshop = locked.workshop
        # An initiative's title has at least five characters; a short idea ("Sms") is named as an idea.
        title = locked.text[:120] if len(locked.text) >= 5 else _("Idee: %(idea)s") % {"idea": locked.text}
        draft = create_draft(
            initiator=offer_to, title=title, kern=workshop.kern or offer_to.kern,
            summary=locked.text[:300],
            story=_("<p>Bedacht tijdens de werksessie “%(workshop)s”.</p>") % {"workshop": workshop.title},
            client_key=f"workshop-card:{locked.pk}")
        follow_up = _create(actor, locked, kind=FollowUpKind.INITIATIVE, initiative=draft, title=draft.title)
        notify(kind=INITIATIVE_OFFERED, recipients=[offer_to], actor=actor, kern=draft.kern_id,
               params={"title": draft.title}, url=draft.get_absolute_url(),
               event_key=f"lab.initiative_offered:{draft.pk}")
        _tell(follow_up, actor=actor, event_key=f"lab.follow_up:{follow_up.pk}:new")
    return follow_up


def follow_up_as_action(*, actor, card: Card, owner, title: str, note: str = "") -> IdeaFollowUp:
    """An action for staff with an owner (a member of staff)."""
    title = plain(title, field=_("wat er gebeurt"), max_length=200, required=True)
    note = plain(note, field=_("toelichting"), max_length=2000)
    if owner is None or not is_staff(owner):
        raise WorkshopError(_("Kies een medewerker van de gemeente als eigenaar."), code="owner")
    with transaction.atomic():
        locked = _new(actor, card)
        follow_up = _create(actor, locked, kind=FollowUpKind.ACTION, owner=owner, title=title, note=note)
        _tell(follow_up, actor=actor, event_key=f"lab.follow_up:{follow_up.pk}:new")
    return follow_up


def _create(actor, card: Card, **fields) -> IdeaFollowUp:
    try:
        with transaction.atomic():
            return IdeaFollowUp.objects.create(card=card, created_by=actor, **fields)
    except IntegrityError:
        raise WorkshopError(_("Voor dit idee is al besloten wat er gebeurt."), code="state") from None


def change_follow_up(*, actor, follow_up: IdeaFollowUp, status: str, note: str = "") -> IdeaFollowUp:
    """A new status (and note); the participants are told of every change, once per status."""
    if status not in FollowUpStatus.values:
        raise WorkshopError(_("Die stand bestaat niet."), code="invalid")
    note = plain(note, field=_("toelichting"), max_length=2000)
    with transaction.atomic():
        locked = IdeaFollowUp.objects.select_for_update(of=("self",)).select_related("card__workshop").get(
            pk=follow_up.pk)
        require_perm(actor, "lab.follow_up_idea", locked.card, REFUSED)
        if locked.status == status and locked.note == note:
            return locked
        told = locked.status != status
        locked.status, locked.note = status, note
        locked.save(update_fields=["status", "note", "updated_at"])
        if told:
            _tell(locked, actor=actor, event_key=f"lab.follow_up:{locked.pk}:{status}")
    return locked
