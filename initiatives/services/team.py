"""The team behind an initiative: initiators invite co-initiators with a link; co-initiators may leave.

An invitation is a signed token (no table, nothing to clean up): whoever has the link and is signed in
may join until it expires, the team is full or the initiative is closed. The main initiator may take
someone off the team; a co-initiator may leave. Every change is in the audit trail.
"""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from initiatives.models import Initiative, Pledge
from initiatives.notification_kinds import TEAM_CHANGED
from initiatives.services._common import initiators_of, lock_initiative, record_event, require_perm
from initiatives.services.errors import InitiativeError
from initiatives.services.notifications import tell

INVITATION_SALT = "samenlab.initiatives.co-initiator"
INVITATION_DAYS = 14
MAX_CO_INITIATORS = 5


def invitation_token(*, actor, initiative: Initiative) -> str:
    """A link token inviting anyone who opens it to join ``initiative``'s team (initiators only)."""
    require_perm(actor, "initiatives.invite_co_initiators", initiative,
                 _("Alleen initiatiefnemers nodigen anderen uit."))
    return signing.dumps({"initiative": initiative.pk, "by": actor.pk}, salt=INVITATION_SALT, compress=True)


def initiative_of_invitation(token: str) -> Initiative:
    """The initiative a valid, unexpired token invites to; a clear error otherwise."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_DAYS * 24 * 3600)
    except signing.SignatureExpired as error:
        raise InitiativeError(_("Deze uitnodiging is verlopen. Vraag de initiatiefnemer om een nieuwe link."),
                              code="invitation_expired") from error
    except signing.BadSignature as error:
        raise InitiativeError(_("Deze uitnodiging klopt niet. Controleer of u de hele link heeft gekopieerd."),
                              code="invitation_invalid") from error
    initiative = Initiative.objects.filter(pk=data.get("initiative")).first()
    if initiative is None:
        raise InitiativeError(_("Dit initiatief bestaat niet meer."), code="invitation_invalid")
    return initiative


def join_as_co_initiator(*, user, token: str) -> Initiative:
    """Add ``user`` to the team of the initiative ``token`` invites to. Joining twice changes nothing."""
    initiative = initiative_of_invitation(token)
    with transaction.atomic():
        locked = lock_initiative(initiative)
        if user.is_authenticated and user.pk in locked.initiator_ids():
            return locked
        require_perm(user, "initiatives.join_initiative", locked,
                     _("Meedoen als initiatiefnemer kan niet meer bij dit initiatief."))
        if locked.co_initiators.count() >= MAX_CO_INITIATORS:
            raise InitiativeError(_("Er zijn al %(n)s mede-initiatiefnemers: meer kan niet.")
                                  % {"n": MAX_CO_INITIATORS}, code="team_full")
        # Initiators do not pledge to their own initiative (their pledge would draw matching).
        if Pledge.objects.filter(initiative=locked, pledger=user, status=Pledge.Status.ACTIVE).exists():
            raise InitiativeError(_("U heeft geld, tijd of materialen toegezegd aan dit initiatief. "
                                    "Trek die toezegging eerst in als u initiatiefnemer wilt worden."),
                                  code="has_pledge")
        locked.co_initiators.add(user)
        record_event(initiative=locked, actor=user, action="co_initiator_joined", reason=user.display_name)
        tell(kind=TEAM_CHANGED, recipients=initiators_of(locked), initiative=locked, actor=user,
             params={"variant": "joined", "name": user.display_name})
    return locked


def remove_co_initiator(*, actor, initiative: Initiative, user) -> None:
    """Take ``user`` off the team: the main initiator may remove anyone, a co-initiator may leave."""
    with transaction.atomic():
        locked = lock_initiative(initiative)
        if actor.pk != user.pk:
            require_perm(actor, "initiatives.manage_team", locked,
                         _("Alleen de initiatiefnemer die het initiatief begon, haalt iemand van het team."))
        if not locked.co_initiators.filter(pk=user.pk).exists():
            raise InitiativeError(_("Deze persoon is geen mede-initiatiefnemer."), code="not_on_team")
        locked.co_initiators.remove(user)
        record_event(initiative=locked, actor=actor, action="co_initiator_left", reason=user.display_name)
        tell(kind=TEAM_CHANGED, recipients=[*initiators_of(locked), user], initiative=locked, actor=actor,
             params={"variant": "left", "name": user.display_name})
