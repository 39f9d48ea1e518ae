"""After a workshop everyone who took part is asked "Hoe was deze bijeenkomst?" (lab's one feedback mechanism,
decision 24): signed-in people by a notification with their own link; a seat without an account on its own
screen, through ``feedback_link`` (one invitation per seat, so one answer per seat)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lab.feedback.services import invite, open_link
from lab.models import Participant, Workshop, WorkshopState
from lab.workshops.services._common import WorkshopError, lock_participant

FEEDBACK_KIND = "workshop"


def ask_participants(workshop: Workshop) -> None:
    """Invite each signed-in participant and facilitator once (the mechanism is idempotent per person)."""
    people = [p.user for p in workshop.participants.filter(user__isnull=False).select_related("user")]
    people += list(workshop.facilitators.all())
    invite(kind=FEEDBACK_KIND, object_id=workshop.pk, users=people)


def feedback_link(participant: Participant) -> str:
    """The path of this seat's own feedback form, with a fresh one-time link ("" once it has answered).

    Precondition: ``participant`` is the request's own seat (``seats.seat_for``) and has no account; a signed-in
    person answers through their notification or ``lab:feedback_answer``."""
    if participant.workshop.state != WorkshopState.ENDED:
        raise WorkshopError(_("De werksessie is nog niet afgelopen."), code="state")
    with transaction.atomic():
        seat = lock_participant(participant)
        invitation = seat.feedback_invitation
        if invitation is not None and invitation.answered:
            return ""
        invited = open_link(kind=FEEDBACK_KIND, object_id=seat.workshop_id, invitation=invitation)
        if invitation is None:
            seat.feedback_invitation = invited.invitation
            seat.save(update_fields=["feedback_invitation"])
    return invited.link
