"""A ballot being filled in, one choice at a time, kept on the server so it is never lost.

Each change locks the voter's draft row, so fifty parallel "add project" clicks on a knapsack ballot can
never choose more than the budget (Decidim #873): every click sees the one before it.
"""

from __future__ import annotations

from django.db import transaction

from voting.models import BallotBox, BallotDraft, Budget
from voting.services._common import NOT_ALLOWED, VotingError, require_perm
from voting.services.casting import CANNOT_VOTE, find_code, owner_key
from voting.services.choices import as_mapping, clean_budget_choices


def _owner(actor, box: BallotBox, code: str | None) -> str:
    if code is not None:
        require_perm(actor, "voting.vote_with_code", box, CANNOT_VOTE)
        return owner_key(code_hash=find_code(box, code).code_hash)
    require_perm(actor, "voting.vote", box, CANNOT_VOTE)
    return owner_key(voter=actor)


def draft_choices(*, actor, box: BallotBox, code: str | None = None) -> dict[str, int]:
    """What the voter chose so far (empty when nothing)."""
    owner = owner_key(code_hash=find_code(box, code).code_hash) if code is not None else owner_key(voter=actor)
    draft = BallotDraft.objects.filter(box=box, owner=owner).first()
    return dict(draft.choices) if draft else {}


def change_draft(*, actor, box: BallotBox, key, points: int, code: str | None = None) -> dict[str, int]:
    """Set the points of project ``key`` (0 removes it) on a budget's ballot and return the whole draft.
    Refused with ``VotingError`` when the draft would break the ballot's rules (over budget, too many).
    Precondition: ``box`` was read with its budget or poll (a poll is one page with one answer: no draft)."""
    owner = _owner(actor, box, code)
    budget = box.subject
    if not isinstance(budget, Budget):
        raise VotingError(str(NOT_ALLOWED), code="not_allowed")
    change = as_mapping({str(key): points})
    with transaction.atomic():
        draft, _created = BallotDraft.objects.get_or_create(box=box, owner=owner)
        draft = BallotDraft.objects.select_for_update().get(pk=draft.pk)
        choices = dict(draft.choices)
        choices.pop(str(key), None)
        choices.update(change)
        draft.choices = clean_budget_choices(budget, choices, partial=True)
        draft.save(update_fields=["choices", "updated_at"])
    return dict(draft.choices)
