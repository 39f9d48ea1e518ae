"""Every state change of walks and observations goes through these services."""

from maps.services.errors import ClientIdConflict, WalkError
from maps.services.observations import MAX_PHOTOS, add_observation_photo, record_observation, same_theme_nearby
from maps.services.triage import correct, decide, merge, report_status_changed
from maps.services.walks import (
    cancel_signup,
    cancel_walk,
    finish_walk,
    move_walk,
    plan_walk,
    send_walk_reminders,
    sign_up,
    start_walk,
)

__all__ = [
    "MAX_PHOTOS", "ClientIdConflict", "WalkError", "add_observation_photo", "cancel_signup", "cancel_walk", "correct",
    "decide", "finish_walk", "merge", "move_walk", "plan_walk", "record_observation", "report_status_changed",
    "same_theme_nearby", "send_walk_reminders", "sign_up", "start_walk",
]
