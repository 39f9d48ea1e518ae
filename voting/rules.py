"""Who may do what in voting: the one permission source for pages, API, socket, exports and services.

Object rules take a ``BallotBox``, a ``Poll``, a ``Budget`` or a ``Project``; ``box_of`` finds the box.
Nobody, staff and admins included, sees a result before the box closes (and, for a budget, before the
result is published): CONSUL #4771. Whether a person has voted is read once per box per request and
cached on the user.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from community.rules import is_council_member_of, is_resident, is_staff


def box_of(obj):
    """The ``BallotBox`` of a box, poll, budget or project (or None)."""
    from voting.models import BallotBox, Budget, Poll, Project

    if isinstance(obj, BallotBox):
        return obj
    if isinstance(obj, (Poll, Budget)):
        return obj.box
    if isinstance(obj, Project):
        return obj.budget.box
    return None


def budget_of(obj):
    from voting.models import BallotBox, Budget, Project

    if isinstance(obj, Budget):
        return obj
    if isinstance(obj, Project):
        return obj.budget
    if isinstance(obj, BallotBox):
        return obj.subject if isinstance(obj.subject, Budget) else None
    return None


def has_voted_in(user, box) -> bool:
    """Whether ``user`` is in the register of ``box`` (cached on the user for this request)."""
    if not user.is_authenticated or box is None:
        return False
    cache = user.__dict__.setdefault("_voted_boxes", {})
    if box.pk not in cache:
        cache[box.pk] = box.turnout.filter(voter=user).exists()
    return cache[box.pk]


def forget_vote_cache(user) -> None:
    user.__dict__.pop("_voted_boxes", None)


@rules.predicate
def box_is_open(_user, obj):
    box = box_of(obj)
    return box is not None and box.is_open() and (budget_of(obj) is None or budget_of(obj).phase == "voting")


@rules.predicate
def box_is_closed(_user, obj):
    box = box_of(obj)
    return box is not None and box.is_closed()


@rules.predicate
def result_is_published(_user, obj):
    box = box_of(obj)
    return box is not None and box.result_published_at is not None and box.is_closed()


@rules.predicate
def uses_letters(_user, obj):
    box = box_of(obj)
    return box is not None and box.uses_letters


@rules.predicate
def is_eligible(user, obj):
    """May vote in ``obj``'s box with their account (not: by letter; not: whether it is open)."""
    box = box_of(obj)
    if box is None or not is_resident(user):
        return False
    if box.who_may_vote == "signed_in":
        return True
    if box.who_may_vote == "letter":
        return False
    lives_here = user.kern_id is not None if box.kern_id is None else user.kern_id == box.kern_id
    if box.who_may_vote == "residents":
        return lives_here
    return lives_here and user.residency_verified_at is not None


@rules.predicate
def has_voted(user, obj):
    return has_voted_in(user, box_of(obj))


@rules.predicate
def shows_results_after_own_vote(_user, obj):
    box = box_of(obj)
    return box is not None and box.results_shown == "after_own_vote" and budget_of(obj) is None


@rules.predicate
def is_poll(_user, obj):
    from voting.models import Poll

    return isinstance(obj, Poll) or (box_of(obj) is not None and budget_of(obj) is None)


@rules.predicate
def is_council_of_box(user, obj):
    box = box_of(obj)
    return box is not None and box.kern_id is not None and is_council_member_of(user, box)


@rules.predicate
def budget_in_proposals(_user, obj):
    budget = budget_of(obj)
    if budget is None or budget.phase != "proposals":
        return False
    return budget.proposals_until is None or timezone.localdate() <= budget.proposals_until


@rules.predicate
def budget_in_review(_user, obj):
    budget = budget_of(obj)
    return budget is not None and budget.phase in ("proposals", "review")


@rules.predicate
def lives_in_budget_kern(user, obj):
    budget = budget_of(obj)
    if budget is None or not is_resident(user):
        return False
    return user.kern_id is not None if budget.kern_id is None else user.kern_id == budget.kern_id


@rules.predicate
def is_proposer(user, obj):
    from voting.models import Project

    return (isinstance(obj, Project) and user.is_authenticated and obj.proposer_id is not None
            and obj.proposer_id == user.pk)


@rules.predicate
def project_not_withdrawn(_user, obj):
    from voting.models import Project, ProjectState

    return isinstance(obj, Project) and obj.state != ProjectState.WITHDRAWN


@rules.predicate
def project_is_funded(_user, obj):
    from voting.models import Project

    return isinstance(obj, Project) and obj.funded and budget_of(obj).phase in ("result", "realisation")


@rules.predicate
def box_has_started(_user, obj):
    box = box_of(obj)
    return box is not None and box.has_started()


@rules.predicate
def nobody_voted(_user, obj):
    """No one is in the register of the box (no web, code, counter or paper vote). Asked once per object."""
    box = box_of(obj)
    if box is None or box.pk is None:
        return box is not None
    if "_nobody_voted" not in box.__dict__:
        box._nobody_voted = not box.turnout.exists()
    return box._nobody_voted


@rules.predicate
def subject_is_visible(user, obj):
    """A poll on an initiative is seen by whoever may see the initiative; any other poll or budget by all."""
    from voting.models import BallotBox, Poll

    poll = obj if isinstance(obj, Poll) else None
    if isinstance(obj, BallotBox):
        subject = obj.subject
        poll = subject if isinstance(subject, Poll) else None
    if poll is None or poll.initiative_id is None:
        return box_of(obj) is not None
    from core.permissions import may

    return may(user, "initiatives.view_initiative", poll.initiative)


@rules.predicate
def is_a_poll(_user, obj):
    from voting.models import Poll

    return isinstance(obj, Poll)


# Every rule about a box holds only for who may see its subject (a poll on an initiative: who may see that).
# Voting with one's account (web, or helped at the counter by staff, who asks this same rule for the resident).
rules.add_perm("voting.vote", box_is_open & is_eligible & subject_is_visible)
# Voting with a letter code (signed in or not): the code itself is checked by the service.
rules.add_perm("voting.vote_with_code", box_is_open & uses_letters & subject_is_visible)
# Results: after the close (a budget: once published), or a poll's after one's own vote if it says so.
rules.add_perm("voting.view_results", subject_is_visible & (
    (is_poll & box_is_closed) | result_is_published
    | (is_poll & shows_results_after_own_vote & box_is_open & has_voted)))
# The anonymised ballots (downloads, recount): only when no more can be cast. A poll that shows its tally after
# one's own vote does not show ballots while open: a download before and after a neighbour votes would tell theirs.
rules.add_perm("voting.download_ballots", subject_is_visible & ((is_poll & box_is_closed) | result_is_published))
# Staff count a closed box and publish its result (a budget's, after the reconciliation).
rules.add_perm("voting.publish_result", is_staff & box_is_closed & ~result_is_published)
# Staff set up polls and budgets; a kern's council sets up polls in its own kern.
rules.add_perm("voting.create_budget", is_staff)
rules.add_perm("voting.change_budget", is_staff)
rules.add_perm("voting.create_poll", is_staff | is_council_of_box)
# A poll changes only before it opens: its question and options are what people vote on.
rules.add_perm("voting.change_poll", (is_staff | is_council_of_box) & ~box_has_started)
# Removing: who may set up the poll, as long as nobody voted (a ballot is never thrown away).
rules.add_perm("voting.remove_poll", (is_staff | is_council_of_box) & nobody_voted)
# The poll itself (its page, its card, its live stream): everyone, unless it belongs to an initiative they cannot see.
rules.add_perm("voting.view_poll", is_a_poll & subject_is_visible)
# Following a box live (``voting.<box id>``): what is sent there is fit for everyone who may see its subject.
rules.add_perm("voting.follow_box", subject_is_visible)
# Residents propose projects in the proposals phase, in their own kern (any kern for a municipal pot).
rules.add_perm("voting.propose_project", budget_in_proposals & lives_in_budget_kern)
rules.add_perm("voting.review_project", is_staff & budget_in_review)
# The proposer takes their own idea back, until voting begins (while ideas are still being checked).
rules.add_perm("voting.withdraw_project", is_proposer & project_not_withdrawn & budget_in_review)
rules.add_perm("voting.post_project_update", is_staff & project_is_funded)
# Letter codes, paper ballots and the counter: staff in the village hall.
rules.add_perm("voting.manage_codes", is_staff & ~box_is_closed)
rules.add_perm("voting.enter_paper", is_staff & ~result_is_published)
rules.add_perm("voting.assist_at_counter", is_staff & box_is_open)
# Who voted by which channel (never how): staff, and the kern's council after the close.
rules.add_perm("voting.view_register", is_staff | (is_council_of_box & box_is_closed))
