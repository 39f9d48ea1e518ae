"""Web pages of initiatives: thin views that ask the rules, call one service, and render."""

from initiatives.views.agenda import council_agenda, record_agenda_outcome, schedule_agenda_item, support_threshold
from initiatives.views.browse import detail, initiative_list, my_initiatives
from initiatives.views.moderate import decide, moderation_queue
from initiatives.views.participate import (
    cancel_pledge,
    follow,
    make_pledge,
    post_update,
    remove_photo,
    request_reconsideration,
    support,
    unfollow,
    unsupport,
)
from initiatives.views.start import delete_draft, edit_step, start
from initiatives.views.team import join, remove_team_member

__all__ = [
    "cancel_pledge", "decide", "delete_draft",
    "detail", "edit_step", "follow", "initiative_list", "make_pledge", "moderation_queue",
    "my_initiatives", "post_update", "remove_photo", "request_reconsideration", "start", "support", "unfollow",
    "unsupport", "join", "remove_team_member",
    "council_agenda", "record_agenda_outcome", "schedule_agenda_item", "support_threshold",
]
