"""Reads of polls: the voting map every page shares, the tallies, and each viewer's card of a poll.

The kern page already spends its ten queries before it shows a poll. What a poll or budget card shows to
everyone changes only when a service writes (each starts a new page generation, ``core.pagecache``) or when a
box opens or closes. So, like the page map (``cms.routing``, decision 21), the voting map is built once per
generation, kept in this process and in the shared cache, and built again at the next opening or closing of
any box on it. It holds the polls of the last ``RECENT_DAYS``, the budgets not yet carried out, and the tally
of every closed poll on it; never a count of a box that is still open (results are hidden until the rule
``voting.view_results`` says otherwise: Decidim #12348, CONSUL #4771).

What differs per viewer (voted or not, may vote, the count of an open poll shown after one's own vote) is read
per request: one query for the viewer's register rows, one for the counts they may see.
"""

from voting.selectors.polls.cards import PollCard, ResultRow, cards_for, note_votes
from voting.selectors.polls.kept import (
    BudgetData,
    PollData,
    VotingMap,
    closed_polls,
    count_polls,
    current_polls,
    keep_for_generation,
    poll_data,
    voting_map,
)

__all__ = [
    "BudgetData", "PollCard", "PollData", "ResultRow", "VotingMap", "cards_for", "closed_polls", "count_polls",
    "current_polls", "keep_for_generation", "note_votes", "poll_data", "voting_map",
]
