"""Mijn Samenlab's sections about initiatives: mine with what they need next, my pledges, what I follow,
and for the council what waits for its decision or is on its agenda."""

from django.utils.translation import gettext_lazy as _

from community.dashboard import Section, Visitor, Waiting, register
from core.formats import money
from core.permissions import may
from initiatives import selectors
from initiatives.models import Follow, Initiative, Pledge, Status

SHOWN = 5


def next_step(initiative) -> str:
    """What the initiative needs from its initiators now, in a few words."""
    if initiative.status == Status.DRAFT:
        return _("Maak uw plan af en dien het in bij de dorpsraad.")
    if initiative.status == Status.CHANGES_REQUESTED:
        return _("De dorpsraad vraagt een aanpassing. Pas uw plan aan en dien het opnieuw in.")
    if initiative.status == Status.SUBMITTED:
        return _("De dorpsraad kijkt naar uw plan. U hoort het als er een besluit is.")
    if initiative.status == Status.FUNDING:
        remaining = (initiative.goal or 0) - (initiative.pledged_total or 0) - (initiative.matched_total or 0)
        if remaining > 0:
            return _("Nog %(amount)s nodig. Vertel uw buren over uw initiatief.") % {"amount": money(remaining)}
        return _("Het doel is gehaald. Houd uw volgers op de hoogte.")
    if initiative.status in (Status.PUBLISHED, Status.FUNDED):
        return _("Vertel uw volgers hoe het gaat, en meld het als het klaar is.")
    return ""


def _my_initiatives(visitor: Visitor) -> dict:
    items = list(Initiative.objects.filter(pk__in=Initiative.objects.initiated_by(visitor.user).values("pk"))
                 .order_by("-updated_at", "-pk")[:SHOWN])
    totals = selectors.kept_totals_of([item.pk for item in items])  # kept for the page generation
    for item in items:
        for name, value in totals[item.pk].items():
            setattr(item, name, value)
        item.next_step = next_step(item)
    return {"initiatives": items}


def _my_pledges(visitor: Visitor) -> dict | None:
    pledges = list(Pledge.objects.filter(pledger=visitor.user).select_related("initiative", "initiative__kern")
                   .order_by("-created_at")[:SHOWN])
    return {"pledges": pledges} if pledges else None


def _following(visitor: Visitor) -> dict | None:
    user = visitor.user
    # Not their own: two plain exclusions (one across the team table would make Django nest a subquery).
    team = Initiative.co_initiators.through.objects.filter(user_id=user.pk).values("initiative_id")
    followed = list(Initiative.objects.visible_to(user)
                    .filter(pk__in=Follow.objects.filter(user=user).values("initiative_id"))
                    .exclude(initiator=user).exclude(pk__in=team)
                    .select_related("kern").order_by("-updated_at")[:SHOWN])
    return {"initiatives": followed} if followed else None


def _to_decide(visitor: Visitor):
    if not may(visitor.user, "initiatives.view_moderation_queue"):
        return None
    return selectors.moderation_queue(user=visitor.user)


def _on_agenda(visitor: Visitor):
    if not may(visitor.user, "initiatives.view_moderation_queue"):
        return None
    return selectors.council_agenda(user=visitor.user)


def register_sections() -> None:
    register(Waiting("initiatives.to_decide", 1, _("initiatieven om te beoordelen"), "initiatives:moderation_queue",
                     _to_decide))
    register(Waiting("initiatives.on_agenda", 3, _("initiatieven op de agenda van de dorpsraad"),
                     "initiatives:council_agenda", _on_agenda))
    register(Section("initiatives.mine", 20, "initiatives/sections/mine.html", _my_initiatives))
    register(Section("initiatives.pledges", 30, "initiatives/sections/pledges.html", _my_pledges))
    register(Section("initiatives.following", 40, "initiatives/sections/following.html", _following))
