"""Walk-throughs (wijkschouw): walks, sign-ups, observations with photos, triage and the hand-off."""

from maps.models.handoff import MunicipalReport
from maps.models.observations import (
    CrowScore,
    Observation,
    ObservationKind,
    ObservationPhoto,
    ObservationState,
    ObservationTheme,
    TriageEntry,
)
from maps.models.walks import Walk, WalkSignup, WalkState

__all__ = [
    "CrowScore", "MunicipalReport", "Observation", "ObservationKind", "ObservationPhoto", "ObservationState",
    "ObservationTheme", "TriageEntry", "Walk", "WalkSignup", "WalkState",
]
