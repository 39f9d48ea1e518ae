"""Models of lab: the short feedback after an encounter, and co-design workshops with their journey map."""

from lab.models.feedback import (
    QUESTIONS,
    TEXT_MAX_LENGTH,
    Again,
    Experience,
    FeedbackAnswer,
    FeedbackInvitation,
    Heard,
)
from lab.models.workshops import (
    CARD_TEXT_MAX,
    FEELING_MAX,
    FEELING_MIN,
    NAME_MAX,
    VOTABLE_LANES,
    Card,
    Dot,
    Feeling,
    FeelingKind,
    FollowUpKind,
    FollowUpStatus,
    IdeaFollowUp,
    JourneyTemplate,
    Lane,
    LaneKind,
    Participant,
    Persona,
    Phase,
    ResultsVisibility,
    Stage,
    Workshop,
    WorkshopState,
)

__all__ = [
    "CARD_TEXT_MAX", "FEELING_MAX", "FEELING_MIN", "NAME_MAX", "QUESTIONS", "TEXT_MAX_LENGTH", "VOTABLE_LANES",
    "Again", "Card", "Dot", "Experience", "FeedbackAnswer", "FeedbackInvitation", "Feeling", "FeelingKind",
    "FollowUpKind", "FollowUpStatus", "Heard", "IdeaFollowUp",
    "JourneyTemplate", "Lane", "LaneKind", "Participant", "Persona", "Phase", "ResultsVisibility", "Stage",
    "Workshop", "WorkshopState",
]
