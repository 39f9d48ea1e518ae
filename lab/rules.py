"""Who may do what in lab, as django-rules predicates (loaded from ``LabConfig.ready``).

Feedback: reading the answers about one encounter is the rule its app registered with the subject
(``may_see_answers``, asked with the object); the overview over every encounter is for staff. Answering
needs no rule: an invitation (by link or to the signed-in person) is what lets one answer.

Workshops: the public page is for everyone; a board is asked about with ``lab.workshops.seats.At`` (the
request's own participant and what it acts on). The workshop's own facilitators run it and change it; staff
and the lab's facilitators (the group) plan workshops, and staff may change any. Before the reveal a card of
the silent brainstorm is its author's and the facilitators' only; dots are nobody's to see before the result
is shown.
"""

import rules

from community.rules import is_facilitator, is_staff
from lab.models import Card, JourneyTemplate, Lane, Phase, ResultsVisibility, Stage, WorkshopState
from lab.workshops.seats import At, workshop_of

rules.add_perm("lab.view_feedback_overview", is_staff)


def _target(obj):
    return obj.target if isinstance(obj, At) else obj


def _participant(obj):
    return obj.participant if isinstance(obj, At) else None


@rules.predicate
def facilitates(user, obj):
    """One of this workshop's own facilitators."""
    if obj is None or not (user.is_authenticated and user.is_active):
        return False
    workshop = workshop_of(obj)
    ids = getattr(workshop, "_facilitator_ids", None)
    if ids is None:
        ids = frozenset(workshop.facilitators.values_list("pk", flat=True))
        workshop._facilitator_ids = ids
    return user.pk in ids


@rules.predicate
def takes_part(user, obj):
    participant = _participant(obj)
    return participant is not None and participant.workshop_id == workshop_of(obj).pk


@rules.predicate
def is_open(user, obj):
    return obj is not None and workshop_of(obj).state == WorkshopState.OPEN


@rules.predicate
def is_ended(user, obj):
    return obj is not None and workshop_of(obj).state == WorkshopState.ENDED


@rules.predicate
def board_unlocked(user, obj):
    return not workshop_of(obj).board_locked


@rules.predicate
def lane_unlocked(user, obj):
    target = _target(obj)
    lane = target if isinstance(target, Lane) else getattr(target, "lane", None)
    return lane is not None and not lane.locked


@rules.predicate
def writing_phase(user, obj):
    return workshop_of(obj).phase in (Phase.BRAINSTORM, Phase.SHARE, Phase.DISCUSS)


@rules.predicate
def voting_phase(user, obj):
    return workshop_of(obj).phase == Phase.VOTE


@rules.predicate
def own_card(user, obj):
    card, participant = _target(obj), _participant(obj)
    return isinstance(card, Card) and participant is not None and card.author_id == participant.pk


@rules.predicate
def private_card(user, obj):
    card = _target(obj)
    return isinstance(card, Card) and card.private


@rules.predicate
def live_card(user, obj):
    card = _target(obj)
    return isinstance(card, Card) and card.merged_into_id is None


@rules.predicate
def votable_card(user, obj):
    card = _target(obj)
    return isinstance(card, Card) and card.lane.votable


@rules.predicate
def is_stage(user, obj):
    return isinstance(_target(obj), Stage)


@rules.predicate
def results_public(user, obj):
    return workshop_of(obj).results_visibility == ResultsVisibility.PUBLIC


@rules.predicate
def votes_shown(user, obj):
    return workshop_of(obj).votes_shown


planner = is_staff | is_facilitator
on_board = takes_part | facilitates | is_staff

rules.add_perm("lab.plan_workshop", planner)
rules.add_perm("lab.view_workshop", rules.always_allow)
rules.add_perm("lab.change_workshop", (facilitates | is_staff) & ~is_ended)
rules.add_perm("lab.join_workshop", ~is_ended)
rules.add_perm("lab.run_workshop", facilitates & ~is_ended)
rules.add_perm("lab.view_board", on_board)
sees_card_on_board = on_board & (~private_card | own_card | facilitates)
sees_results = is_ended & (results_public | on_board)
rules.add_perm("lab.view_card", sees_card_on_board)
# A card's photo goes where the card goes: the board (as above) and, once shared, the results page.
rules.add_perm("lab.view_card_photo", sees_card_on_board | (sees_results & ~private_card))
rules.add_perm("lab.add_card", is_open & ((takes_part & board_unlocked & lane_unlocked & writing_phase) | facilitates))
# An author changes their card while the group still writes; once the dots go on, the text stays what was voted on.
rules.add_perm("lab.change_card", is_open & live_card & ((own_card & board_unlocked & lane_unlocked & writing_phase)
                                                        | facilitates))
rules.add_perm("lab.set_feeling", is_open & takes_part & board_unlocked & is_stage)
rules.add_perm("lab.place_dot", is_open & takes_part & board_unlocked & voting_phase & live_card & votable_card
               & ~private_card)
rules.add_perm("lab.view_votes", votes_shown & (on_board | (is_ended & results_public)))
rules.add_perm("lab.view_results", sees_results)

# What happens with an idea after the dot vote: the workshop's facilitators and staff decide.
rules.add_perm("lab.follow_up_idea", (facilitates | is_staff) & live_card & ~private_card & votable_card)
# "Hoe was deze bijeenkomst?": the answers are for the workshop's facilitators and staff.
rules.add_perm("lab.view_workshop_feedback", facilitates | is_staff)
# Keeping a workshop's journey as a template to plan from: its own facilitators (who plan) and staff, also after
# the end (that is when a journey is complete).
rules.add_perm("lab.save_template", planner & (facilitates | is_staff))
# A kept template: who made it renames or removes it (while they still plan), and staff any.
@rules.predicate
def is_template(user, obj):
    return isinstance(obj, JourneyTemplate)


@rules.predicate
def made_template(user, template):
    return user.is_authenticated and template.created_by_id == user.pk


rules.add_perm("lab.change_template", is_template & (is_staff | (planner & made_template)))
# The summary and who sees the results: the facilitators, also after the end.
rules.add_perm("lab.write_summary", facilitates)
