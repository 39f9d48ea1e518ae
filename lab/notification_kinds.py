"""What lab tells, and to whom: registered from ``LabConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from community.models import Delivery
from community.notifications.kinds import Audience, Kind, register

FEEDBACK_ASKED = "lab.feedback_asked"


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
