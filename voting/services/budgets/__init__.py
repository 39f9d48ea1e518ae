"""Village budgets: staff set one up and move it through its phases, residents propose projects, staff check
them and report on the chosen ones.

Every service asks its rule (``voting.rules``) and then checks the state only to pick its message; bad input raises
``VotingError`` (keyed by field where a form shows it) and changes nothing. Pages that show a budget are emptied
from the page cache after each commit.
"""

from voting.services.budgets._checks import (
    MAX_AMOUNT,
    MAX_OPEN_IDEAS,
    MAX_POINTS,
    MAX_PROJECTS_LIMIT,
    MIN_ON_BALLOT,
    NOT_PROPOSING,
    NOT_REVIEWING,
    NOT_UPDATING,
    NOT_WITHDRAWING,
    ONLY_STAFF,
    RULES_OF_THE_VOTE,
    SETTINGS,
    UNCHANGED,
)
from voting.services.budgets.budgets import change_budget, create_budget, lock_budget, set_phase, voting_started
from voting.services.budgets.projects import (
    lock_project,
    post_project_update,
    project_url,
    propose_project,
    review_project,
    withdraw_project,
)

__all__ = [
    "MAX_AMOUNT", "MAX_OPEN_IDEAS", "MAX_POINTS", "MAX_PROJECTS_LIMIT", "MIN_ON_BALLOT", "NOT_PROPOSING",
    "NOT_REVIEWING", "NOT_UPDATING", "NOT_WITHDRAWING", "ONLY_STAFF", "RULES_OF_THE_VOTE",
    "SETTINGS", "UNCHANGED", "change_budget", "create_budget", "lock_budget", "lock_project", "post_project_update",
    "project_url", "propose_project", "review_project", "set_phase", "voting_started", "withdraw_project",
]
