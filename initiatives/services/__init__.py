"""Every state change of initiatives goes through these services (keyword-only, atomic, audited)."""

from initiatives.services.agenda import (
    ThresholdResult,
    record_agenda_outcome,
    schedule_agenda_item,
    set_support_threshold,
)
from initiatives.services.deadlines import DeadlineSummary, process_deadlines, settle_initiative
from initiatives.services.engagement import follow, post_update, support, unfollow, unsupport
from initiatives.services.errors import (
    IdempotencyConflict,
    InitiativeError,
    InvalidTransition,
    PledgeRefused,
    PossibleDuplicate,
)
from initiatives.services.funds import add_to_budget, create_match_fund, fund_figures, update_match_fund
from initiatives.services.lifecycle import (
    approve_initiative,
    archive_initiative,
    create_draft,
    decline_initiative,
    delete_draft,
    mark_realised,
    request_changes,
    request_reconsideration,
    start_funding,
    submit_initiative,
    update_draft,
)
from initiatives.services.payments import mark_payment_paid, refund_payment, request_payments, sync_payment_status
from initiatives.services.photos import MAX_PHOTOS, add_photo, remove_photo
from initiatives.services.pledges import PledgeResult, cancel_pledge, pledge
from initiatives.services.team import (
    initiative_of_invitation,
    invitation_token,
    join_as_co_initiator,
    remove_co_initiator,
)

__all__ = [
    "MAX_PHOTOS", "DeadlineSummary", "IdempotencyConflict", "InitiativeError", "InvalidTransition", "PledgeRefused",
    "PledgeResult", "PossibleDuplicate", "delete_draft", "fund_figures", "update_match_fund",
    "add_photo", "add_to_budget", "approve_initiative", "archive_initiative", "cancel_pledge",
    "create_draft", "create_match_fund", "decline_initiative", "follow", "mark_payment_paid", "mark_realised",
    "pledge", "post_update", "process_deadlines", "refund_payment", "remove_photo", "request_changes",
    "request_payments", "request_reconsideration", "settle_initiative", "start_funding", "submit_initiative",
    "support", "sync_payment_status", "unfollow", "unsupport", "update_draft",
    "initiative_of_invitation", "invitation_token", "join_as_co_initiator", "remove_co_initiator",
    "ThresholdResult", "record_agenda_outcome", "schedule_agenda_item", "set_support_threshold",
]
