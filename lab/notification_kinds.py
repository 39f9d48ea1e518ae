"""What lab tells, and to whom: registered from ``LabConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from community.models import Delivery
from community.notifications.kinds import Audience, Kind, register

FEEDBACK_ASKED = "lab.feedback_asked"
IDEA_FOLLOWED_UP = "lab.idea_followed_up"
INITIATIVE_OFFERED = "lab.initiative_offered"


def _question_of(params: dict) -> dict:
    """The subject's own question ("Hoe was deze wijkschouw?") in the reader's language."""
    from lab.feedback.subjects import UnknownSubject, get_subject

    try:
        question = str(get_subject(params.get("kind", "")).question)
    except UnknownSubject:
        question = str(_("Hoe was het?"))
    return {**params, "question": question}


def register_kinds() -> None:
    register(Kind(FEEDBACK_ASKED, _("%(question)s Vertel het ons over: %(title)s"),
                  _("Na een wijkschouw of bijeenkomst vragen wij hoe het was"), Audience.EVERYONE,
                  Delivery.AT_ONCE, prepare=_question_of))
    register(Kind(IDEA_FOLLOWED_UP, _("Uw idee uit “%(workshop)s”: %(outcome)s (%(status)s)"),
                  _("Wat er gebeurt met de ideeën uit een werksessie waaraan u meedeed"), Audience.EVERYONE,
                  Delivery.AT_ONCE))
    register(Kind(INITIATIVE_OFFERED, _("Er staat een concept-initiatief voor u klaar: %(title)s"),
                  _("Een idee uit een werksessie wordt uw initiatief"), Audience.EVERYONE, Delivery.AT_ONCE))
