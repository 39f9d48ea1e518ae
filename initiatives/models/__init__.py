"""Initiatives: residents' ideas for their kern, their lifecycle, and the money, time and materials behind them."""

from initiatives.models.agenda import AgendaOutcome, CouncilAgendaItem, SupportThreshold
from initiatives.models.engagement import Follow, InitiativeUpdate, Support
from initiatives.models.funding import MatchFund, MatchReservation, Payment, Pledge
from initiatives.models.initiative import (
    Initiative,
    InitiativeEvent,
    InitiativePhoto,
    InitiativeQuerySet,
    Status,
    Theme,
)

__all__ = [
    "AgendaOutcome", "CouncilAgendaItem", "SupportThreshold",
    "Follow", "Initiative", "InitiativeEvent", "InitiativePhoto", "InitiativeQuerySet", "InitiativeUpdate",
    "MatchFund", "MatchReservation", "Payment", "Pledge", "Status", "Support", "Theme",
]
