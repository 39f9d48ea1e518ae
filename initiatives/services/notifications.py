"""Telling people about an initiative: the notification mechanism with the initiative's address, kern and rule."""

from community.notifications.services import notify, resolve
from initiatives.models import Initiative
from initiatives.notification_kinds import AWAITING_DECISION, ON_COUNCIL_AGENDA


def initiative_url(initiative: Initiative) -> str:
    try:
        return initiative.get_absolute_url()
    except Exception:  # the page may not be routed yet (e.g. in a bare API deployment)
        return f"/initiatieven/{initiative.pk}/"


def about(initiative: Initiative) -> str:
    return f"initiative:{initiative.pk}"


def tell(*, kind: str, recipients, initiative: Initiative, params: dict | None = None, body: str = "", actor=None,
         event_key: str = "", awaits_decision: bool = False, awaits: str = "") -> None:
    """Notify ``recipients`` of ``kind`` about ``initiative`` after commit; only people who may see it hear.

    ``params`` add to the title's ``title`` (the initiative's). ``awaits_decision`` marks a question to
    the council that a decision on the initiative settles (see ``settle_council_questions``); it reaches
    only who may decide *when it is delivered*, so a decision taken before the background delivery ran
    leaves nobody with a question that is already answered. ``awaits`` does the same for another rule
    (``"initiatives.handle_agenda_item"``): the question reaches only who may act on it then.
    """
    awaits = awaits or ("initiatives.moderate_initiative" if awaits_decision else "")
    perm = awaits or "initiatives.view_initiative"
    notify(kind=kind, recipients=recipients, params={"title": initiative.title, **(params or {})}, body=body,
           url=initiative_url(initiative), kern=initiative.kern_id, actor=actor, event_key=event_key,
           about=about(initiative) if awaits else "", visible=(perm, initiative))


def settle_council_questions(initiative: Initiative) -> None:
    """A council member decided: the "to review" items of every council member go, after commit."""
    resolve(about=about(initiative), kinds_=AWAITING_DECISION)


def settle_agenda_questions(initiative: Initiative) -> None:
    """The council decided on the agenda item: "on the agenda" leaves every council member's list, after commit."""
    resolve(about=about(initiative), kinds_=(ON_COUNCIL_AGENDA,))
