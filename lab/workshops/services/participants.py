"""Joining a workshop in ten seconds: signed in as oneself, or with a display name and a device token."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lab.models import NAME_MAX, Participant, Workshop
from lab.workshops.seats import is_device_token, new_device_token, seat_for, token_hash
from lab.workshops.services._common import WorkshopError, announce, plain, require_perm


def _joined(workshop: Workshop, participant: Participant) -> None:
    announce(workshop, "participant.joined", {"id": participant.pk, "name": participant.public_name},
             subject=f"participant:{participant.pk}")


def join(*, user, workshop: Workshop, display_name: str = "", anonymous: bool = False,
         device_token: str = "") -> tuple[Participant, str]:
    """The participant ``user`` (or this device) is in ``workshop``, made on the first join; and a new device
    token to keep in a cookie ("" when none was made). A reload or a lost connection finds the same one.

    A signed-in person joins as themselves unless they choose ``anonymous``: then, like a visitor without an
    account, the seat is the device's and has no link to them.
    """
    require_perm(user, "lab.join_workshop", workshop, _("Deze werksessie is afgelopen."))
    signed_in = user is not None and user.is_authenticated and not anonymous
    found = seat_for(user=user if signed_in else None, workshop=workshop, device_token=device_token)
    if found is not None:
        return found, ""
    if signed_in:
        name = plain(display_name, field=_("naam"), max_length=NAME_MAX) or user.first_name
        try:
            with transaction.atomic():
                participant = Participant.objects.create(workshop=workshop, user=user, display_name=name)
                _joined(workshop, participant)
        except IntegrityError:  # a second tab joined at the same moment: one seat
            return Participant.objects.get(workshop=workshop, user=user), ""
        return participant, ""
    name = "" if anonymous else plain(display_name, field=_("naam"), max_length=NAME_MAX, required=True)
    # The device's own token when it has one (it joined another workshop before): one cookie for every workshop.
    token = device_token if is_device_token(device_token) else new_device_token()
    try:
        with transaction.atomic():
            participant = Participant.objects.create(workshop=workshop, display_name=name, anonymous=anonymous,
                                                     device_token_hash=token_hash(token))
            _joined(workshop, participant)
    except IntegrityError:  # the same device joined twice at the same moment: one seat
        return Participant.objects.get(workshop=workshop, device_token_hash=token_hash(token)), ""
    return participant, ("" if token == device_token else token)
    return participant, token


def check_participant(participant: Participant | None, workshop: Workshop) -> None:
    """A seat of another workshop never acts on this one (a forged or stale token)."""
    if participant is not None and participant.workshop_id != workshop.pk:
        raise WorkshopError(_("U doet niet mee aan deze werksessie."), code="not_participant")
