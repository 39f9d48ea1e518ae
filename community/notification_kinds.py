"""What people and places tell: registered from ``CommunityConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from community.models import CallbackRequest, Delivery
from community.notifications.kinds import Audience, Kind, register

RESIDENCY_CONFIRMED = "community.residency_confirmed"
CALLBACK_REQUESTED = "community.callback_requested"
CALLBACK_STATUS = "community.callback_status"
CALLBACK_HANDED_ON = "community.callback_handed_on"


def _status_label(params: dict) -> dict:
    return {**params, "status": str(dict(CallbackRequest.Status.choices).get(params.get("status"), ""))}


def register_kinds() -> None:
    register(Kind(RESIDENCY_CONFIRMED, _("Uw woonplaats %(kern)s is bevestigd"),
                  _("Uw woonplaats is bevestigd door de dorpsraad"), Audience.EVERYONE, Delivery.AT_ONCE))
    register(Kind(CALLBACK_STATUS, _("Uw verzoek om contact: %(status)s"),
                  _("Er is nieuws over uw verzoek om contact"), Audience.EVERYONE, Delivery.AT_ONCE,
                  prepare=_status_label))
    register(Kind(CALLBACK_HANDED_ON, _("%(colleague)s geeft het verzoek om contact van %(name)s aan u door"),
                  _("Een collega geeft een verzoek om contact aan u door"), Audience.STAFF, Delivery.AT_ONCE))
    register(Kind(CALLBACK_REQUESTED, _("Nieuw verzoek om contact van %(name)s"),
                  _("Een inwoner vraagt om contact"), Audience.STAFF, Delivery.AT_ONCE))
