"""Every write of a workshop goes through these services (decision 28)."""

from lab.workshops.services._common import WorkshopError, stream_of
from lab.workshops.services.cards import add_card, edit_card, group_cards, merge_cards, move_card, remove_card
from lab.workshops.services.journeys import plan_from_journey
from lab.workshops.services.participants import join
from lab.workshops.services.personas import add_persona, change_persona, remove_persona
from lab.workshops.services.votes import dots_left, place_dot, remove_dot, set_feeling
from lab.workshops.services.workshops import (
    add_lane,
    add_stage,
    bring_to_stage,
    end_workshop,
    lock_board,
    lock_lane,
    open_workshop,
    plan_workshop,
    reveal,
    set_phase,
    show_votes,
    spotlight,
    start_timer,
    stop_timer,
    write_summary,
)

__all__ = [
    "WorkshopError", "add_card", "add_lane", "add_persona", "add_stage", "bring_to_stage", "change_persona",
    "dots_left", "edit_card", "end_workshop", "group_cards", "join", "lock_board", "lock_lane", "merge_cards",
    "move_card", "open_workshop", "place_dot", "plan_from_journey", "plan_workshop", "remove_card", "remove_dot",
    "remove_persona", "reveal", "set_feeling", "set_phase", "show_votes", "spotlight", "start_timer", "stop_timer",
    "stream_of", "write_summary"
]
