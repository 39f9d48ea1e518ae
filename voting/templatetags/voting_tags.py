"""Polls wherever a page shows them: ``{% poll_card poll %}`` (a poll, its id, or its map entry), the voting block
of a kern page (``{% kern_voting kern %}``: its polls and budgets) and an initiative's polls
(``{% initiative_polls initiative %}``).

Each card is the viewer's own (may they vote, did they vote, may they see the result: the rules decide); what
everyone sees alike comes from the voting map (``voting.selectors.polls``), so a kern page with polls costs no
query more for a visitor and two for a signed-in resident. A result is in a card only where the rule
``voting.view_results`` allows it, whoever looks: there is nothing in the card to hide with CSS.
"""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.permissions import may
from core.viewer import viewer_of
from voting.forms.polls import CHOICE_FIELD, KEY_FIELD, new_key
from voting.models import BallotBox, BudgetPhase, Poll
from voting.selectors.polls import PollData, poll_data, voting_map
from voting.views.polls._common import BACK_FIELD, code_page_url, viewer_cards

register = template.Library()
HEADINGS = ("h1", "h2", "h3", "h4")
CSS_DONE = "_voting_poll_css"


def _stylesheet(request) -> str:
    """The cards' stylesheet, once per page (a ``link`` in the body is allowed for stylesheets)."""
    if request is not None:
        if getattr(request, CSS_DONE, False):
            return ""
        setattr(request, CSS_DONE, True)
    return format_html('<link rel="stylesheet" href="{}">', static("css/polls.css"))


def _data_of(poll) -> PollData | None:
    if isinstance(poll, PollData):
        return poll
    if isinstance(poll, Poll):
        return poll_data(poll.pk)
    if isinstance(poll, int) or (isinstance(poll, str) and poll.isdigit() and len(poll) < 12):
        return poll_data(int(poll))
    return None


def _card_context(context, card, heading: str, on_page: bool = False) -> dict:
    request = context.get("request")
    level = heading if heading in HEADINGS else "h2"
    return {"card": card, "on_page": on_page, "data": card.data, "heading": level,
            "subheading": f"h{min(int(level[1]) + 1, 6)}",
            "request": request, "csrf_token": context.get("csrf_token"), "key": new_key(),
            "back": request.get_full_path() if request is not None else "", "choice_field": CHOICE_FIELD,
            "key_field": KEY_FIELD, "back_field": BACK_FIELD, "code_url": code_page_url(),
            "signed_in": viewer_of(context).is_authenticated}


def render_card(context, card, heading: str = "h2", on_page: bool = False) -> str:
    return get_template("voting/polls/_card.html").render(_card_context(context, card, heading, on_page))


@register.simple_tag(takes_context=True)
def poll_page_card(context, card) -> str:
    """The card on the poll's own page: under its ``h1``, so without a heading of its own."""
    if context.get("request") is not None:
        setattr(context["request"], CSS_DONE, True)  # the page links the stylesheet in its head
    return mark_safe(render_card(context, card, "h1", on_page=True))  # noqa: S308 (rendered)


@register.simple_tag(takes_context=True)
def poll_card(context, poll, heading: str = "h2") -> str:
    """One poll's card (nothing when it does not exist or the viewer may not see it)."""
    request = context.get("request")
    data = _data_of(poll)
    if data is None or request is None:
        return ""
    cards = viewer_cards(request, [data])
    if not cards:
        return ""
    return mark_safe(_stylesheet(request) + render_card(context, cards[0], heading))  # noqa: S308 (rendered)


def _budget_url(slug: str) -> str:
    try:
        return reverse("voting:budget", args=[slug])
    except NoReverseMatch:  # the budget pages are not there (yet)
        return ""


@register.simple_tag(takes_context=True)
def kern_voting(context, kern) -> str:
    """The kern page's votes: its open, coming and recently closed polls, its budgets, and for its council and
    staff the way to make a poll. Nothing at all when there is none and the viewer cannot make one."""
    request = context.get("request")
    if request is None or kern is None:
        return ""
    kept = voting_map()
    polls = kept.kern_polls(kern.pk, timezone.now())
    cards = viewer_cards(request, polls)
    budgets = [{"title": budget.title, "url": _budget_url(budget.slug), "amount": budget.amount,
                "phase": BudgetPhase(budget.phase).label} for budget in kept.kern_budgets(kern.pk)]
    may_create = may(viewer_of(context), "voting.create_poll", BallotBox(kern=kern))
    if not cards and not budgets and not may_create:
        return ""
    html = get_template("voting/polls/_kern_block.html").render({
        "kern": kern, "cards": [render_card(context, card, "h3") for card in cards], "budgets": budgets,
        "may_create": may_create})
    return mark_safe(_stylesheet(request) + html)  # noqa: S308 (rendered by the template engine)


@register.simple_tag(takes_context=True)
def initiative_polls(context, initiative) -> str:
    """The polls of an initiative (the viewer sees the initiative: its polls' rule asks no more)."""
    request = context.get("request")
    if request is None or initiative is None:
        return ""
    cards = viewer_cards(request, voting_map().initiative_polls(initiative.pk), initiative=initiative)
    may_create = initiative.is_public and may(viewer_of(context), "voting.create_poll",
                                              BallotBox(kern_id=initiative.kern_id))
    if not cards and not may_create:
        return ""
    html = get_template("voting/polls/_initiative_block.html").render({
        "initiative": initiative, "cards": [render_card(context, card, "h3") for card in cards],
        "may_create": may_create, "kern_slug": initiative.kern.slug if may_create else ""})
    return mark_safe(_stylesheet(request) + html)  # noqa: S308 (rendered by the template engine)
