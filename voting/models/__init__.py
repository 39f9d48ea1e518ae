"""Models of voting: the ballot box every vote shares, polls, village budgets, letter codes, paper ballots."""

from voting.models.boxes import Ballot, BallotBox, BallotDraft, Channel, PublicVote, ResultsShown, Turnout, WhoMayVote
from voting.models.budgets import (
    PHASE_ORDER,
    SUMMARY_MAX,
    TITLE_MAX,
    BallotFormat,
    Budget,
    BudgetPhase,
    CountingRule,
    Project,
    ProjectState,
    ProjectUpdate,
)
from voting.models.codes import CodeEvent, PaperSheet, VotingCode
from voting.models.polls import MAX_OPTIONS, OPTION_MAX, QUESTION_MAX, Poll, PollKind, PollOption

__all__ = [
    "MAX_OPTIONS", "OPTION_MAX", "PHASE_ORDER", "QUESTION_MAX", "SUMMARY_MAX", "TITLE_MAX", "Ballot", "BallotBox",
    "BallotDraft", "BallotFormat", "Budget", "BudgetPhase", "Channel", "CodeEvent", "CountingRule", "PaperSheet",
    "Poll", "PollKind", "PollOption", "Project", "ProjectState", "ProjectUpdate", "PublicVote", "ResultsShown",
    "Turnout", "VotingCode", "WhoMayVote",
]
