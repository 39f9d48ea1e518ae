"""What voting tells, and to whom: registered from ``VotingConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from community.models import Delivery
from community.notifications.kinds import Audience, Kind, register

PROJECT_REVIEWED = "voting.project_reviewed"
PROJECT_PROGRESS = "voting.project_progress"


def register_kinds() -> None:
    register(Kind(PROJECT_REVIEWED, {
        "feasible": _("Uw idee %(title)s kan door: het staat op het stembiljet"),
        "not_feasible": _("Uw idee %(title)s kan niet door. Lees waarom."),
    }, _("De gemeente heeft uw idee voor het kernbudget bekeken"), Audience.EVERYONE, Delivery.AT_ONCE))
    register(Kind(PROJECT_PROGRESS, _("Nieuws over uw idee %(title)s: nu %(progress)s procent klaar"),
                  _("Nieuws over de uitvoering van uw idee uit het kernbudget"), Audience.EVERYONE,
                  Delivery.AT_ONCE))
