"""What initiatives tell, and to whom: registered from ``InitiativesConfig.ready``."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community.models import Delivery
from community.notifications.kinds import Audience, Kind, register
from core.formats import money

TO_REVIEW = "initiatives.to_review"
RECONSIDER = "initiatives.reconsider"
DECISION = "initiatives.decision"
PLEDGE_RECEIVED = "initiatives.pledge_received"
SUPPORT_RECEIVED = "initiatives.support_received"
TEAM_CHANGED = "initiatives.team_changed"
UPDATE_POSTED = "initiatives.update_posted"
OUTCOME = "initiatives.outcome"
ON_COUNCIL_AGENDA = "initiatives.on_council_agenda"
COUNCIL_OUTCOME = "initiatives.council_outcome"

# What the council is asked to decide on: settled for every council member when one of them decides.
AWAITING_DECISION = (TO_REVIEW, RECONSIDER)


def _what_was_pledged(params: dict) -> dict:
    """Render the pledge in the reader's language: "€ 50,00", "3 uur" or the materials named."""
    kind, value = params.get("pledge_kind"), params.get("value", "")
    if kind == "money":
        try:
            what = money(Decimal(value))
        except (InvalidOperation, TypeError):
            what = str(value)
    elif kind == "time":
        try:
            hours = int(Decimal(value))
        except (InvalidOperation, TypeError, ValueError):
            hours = 0
        what = ngettext("%(n)s uur", "%(n)s uur", hours) % {"n": hours}
    else:
        what = str(value)
    return {**params, "what": what}


def register_kinds() -> None:
    register(Kind(TO_REVIEW, _("Nieuw initiatief om te beoordelen: %(title)s"),
                  _("Een initiatief in uw kern wacht op het oordeel van de dorpsraad"), Audience.COUNCIL,
                  Delivery.AT_ONCE))
    register(Kind(RECONSIDER, _("Verzoek om heroverweging: %(title)s"),
                  _("Initiatiefnemers vragen de dorpsraad om heroverweging"), Audience.COUNCIL, Delivery.AT_ONCE))
    register(Kind(DECISION, {
        "approved": _("Uw initiatief %(title)s is goedgekeurd"),
        "changes": _("De dorpsraad vraagt een aanpassing aan %(title)s"),
        "declined": _("Uw initiatief %(title)s is afgewezen"),
    }, _("De dorpsraad beslist over uw initiatief"), Audience.INITIATOR, Delivery.AT_ONCE))
    register(Kind(PLEDGE_RECEIVED, _("%(name)s doet een toezegging voor %(title)s: %(what)s"),
                  _("Iemand doet een toezegging voor uw initiatief"), Audience.INITIATOR, Delivery.AT_ONCE,
                  prepare=_what_was_pledged))
    register(Kind(SUPPORT_RECEIVED, _("%(name)s steunt %(title)s"), _("Iemand steunt uw initiatief"),
                  Audience.INITIATOR, Delivery.DAILY))
    register(Kind(TEAM_CHANGED, {
        "joined": _("%(name)s doet mee als initiatiefnemer van %(title)s"),
        "left": _("%(name)s is geen initiatiefnemer meer van %(title)s"),
    }, _("Iemand komt bij of gaat uit het team van uw initiatief"), Audience.INITIATOR, Delivery.AT_ONCE))
    register(Kind(UPDATE_POSTED, _("Nieuws van %(title)s: %(update)s"),
                  _("Nieuws van een initiatief dat u volgt"), Audience.FOLLOWER, Delivery.AT_ONCE))
    register(Kind(OUTCOME, {
        "funded": _("%(title)s heeft het doel gehaald!"),
        "not_funded": _("%(title)s heeft het doel niet gehaald; er wordt niets geïnd"),
        "realised": _("%(title)s is gerealiseerd"),
        "funding": _("%(title)s zamelt nu geld in: u kunt toezeggen"),
    }, _("Een initiatief dat u volgt of steunt haalt zijn doel, of niet, of is klaar"), Audience.FOLLOWER,
        Delivery.AT_ONCE))
    register(Kind(ON_COUNCIL_AGENDA, _("%(title)s heeft genoeg steun en komt op de agenda van de dorpsraad"),
                  _("Een initiatief in uw kern heeft genoeg steun voor de agenda van de dorpsraad"),
                  Audience.COUNCIL, Delivery.AT_ONCE))
    register(Kind(COUNCIL_OUTCOME, {
        "adopted": _("De dorpsraad heeft %(title)s aangenomen"),
        "rejected": _("De dorpsraad heeft %(title)s afgewezen"),
        "referred": _("De dorpsraad heeft %(title)s doorverwezen"),
    }, _("De dorpsraad besluit over een initiatief dat u steunt of zelf begon"), Audience.FOLLOWER,
        Delivery.AT_ONCE))
