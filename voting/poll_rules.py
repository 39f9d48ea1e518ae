"""Rules of polls that ``voting/rules.py`` does not hold yet; registered from ``VotingConfig.ready``.

They use the predicates of ``voting.rules``, so there is still one source for every "may" of voting.
``voting.change_poll`` is set again here: a poll changes only before it opens (its question and options are
what people vote on), where ``voting/rules.py`` still says "until it closes".
"""

from __future__ import annotations

import rules

from community.rules import is_staff
from core.permissions import may
from voting.rules import box_of, is_council_of_box


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
    return may(user, "initiatives.view_initiative", poll.initiative)


@rules.predicate
def is_a_poll(_user, obj):
    from voting.models import Poll

    return isinstance(obj, Poll)


rules.set_perm("voting.change_poll", (is_staff | is_council_of_box) & ~box_has_started)
# Removing: who may set up the poll, as long as nobody voted (a ballot is never thrown away).
rules.add_perm("voting.remove_poll", (is_staff | is_council_of_box) & nobody_voted)
# The poll itself (its page, its card, its live stream): everyone, unless it belongs to an initiative they cannot see.
rules.add_perm("voting.view_poll", is_a_poll & subject_is_visible)
# Following a box live (``voting.<box id>``): what is sent there is fit for everyone who may see its subject.
rules.add_perm("voting.follow_box", subject_is_visible)
