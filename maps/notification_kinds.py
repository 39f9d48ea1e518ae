"""What walks tell, and to whom: registered from ``MapsConfig.ready``."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from community.models import Delivery
from community.notifications.kinds import Audience, Kind, register

WALK_PLANNED = "maps.walk_planned"
WALK_CHANGED = "maps.walk_changed"
WALK_REMINDER = "maps.walk_reminder"
OBSERVATION_OUTCOME = "maps.observation_outcome"
INITIATIVE_OFFERED = "maps.initiative_offered"


def _when(params: dict) -> dict:
    """The walk's time in the reader's language ("zaterdag 12 december, 10:00"), from the stored ISO time."""
    try:
        moment = timezone.localtime(datetime.fromisoformat(params.get("starts_at", "")))
    except (TypeError, ValueError):
        return {**params, "when": "", "time": ""}
    return {**params, "when": date_format(moment, "l j F, H:i"), "time": date_format(moment, "H:i")}


def register_kinds() -> None:
    register(Kind(WALK_PLANNED, _("Wijkschouw in %(kern)s op %(when)s: %(title)s"),
                  _("Er is een wijkschouw gepland in uw kern"), Audience.FOLLOWER, Delivery.AT_ONCE, prepare=_when))
    register(Kind(WALK_CHANGED, {
        "moved": _("De wijkschouw %(title)s is verplaatst naar %(when)s"),
        "cancelled": _("De wijkschouw %(title)s gaat niet door"),
    }, _("Een wijkschouw waarvoor u bent aangemeld verandert"), Audience.EVERYONE, Delivery.AT_ONCE, prepare=_when))
    register(Kind(WALK_REMINDER, _("Morgen: wijkschouw %(title)s om %(time)s, %(place)s"),
                  _("Een herinnering de dag voor een wijkschouw"), Audience.EVERYONE, Delivery.AT_ONCE,
                  prepare=_when))
    register(Kind(OBSERVATION_OUTCOME, {
        "reported": _("Wat u zag bij %(title)s is gemeld bij de gemeente"),
        "report_status": _("Nieuws over uw melding bij %(title)s: %(status)s"),
        "initiative": _("Wat u zag bij %(title)s wordt een initiatief"),
        "no_action": _("De dorpsraad doet niets met wat u zag bij %(title)s"),
        "praise": _("Wat u zag bij %(title)s is bewaard als compliment"),
    }, _("Wat er gebeurt met wat u zag op een wijkschouw"), Audience.EVERYONE, Delivery.AT_ONCE))
    register(Kind(INITIATIVE_OFFERED, _("Er staat een concept-initiatief voor u klaar: %(title)s"),
                  _("De dorpsraad maakt van een waarneming een initiatief voor u"), Audience.EVERYONE,
                  Delivery.AT_ONCE))
