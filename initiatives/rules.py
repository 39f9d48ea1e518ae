"""Who may do what with initiatives: the one permission source for views, API, templates and services.

Object predicates take an ``Initiative`` (or, for pledges, a ``Pledge``). ``Initiative.initiator_ids``
caches the initiators on the object, and council memberships are cached on the user, so asking several
rules about one initiative costs at most one query each for those.
"""

import rules
from django.utils import timezone

from community.rules import is_council_member, is_council_member_of, is_resident, is_staff
from initiatives.models.initiative import EDITABLE_STATUSES, PUBLIC_STATUSES, Status


@rules.predicate
def has_kern(user):
    return user.is_authenticated and user.kern_id is not None


@rules.predicate
def is_initiator(user, initiative):
    return (user.is_authenticated and initiative is not None
            and user.pk in initiative.initiator_ids())


def status_in(*statuses):
    allowed = frozenset(statuses)

    @rules.predicate(name=f"status_in_{'_'.join(sorted(allowed))}")
    def predicate(_user, initiative):
        return initiative is not None and initiative.status in allowed

    return predicate


is_public = status_in(*PUBLIC_STATUSES)
is_editable = status_in(*EDITABLE_STATUSES)
is_submitted = status_in(Status.SUBMITTED)
is_declined = status_in(Status.DECLINED)
is_funding = status_in(Status.FUNDING)
is_open_for_pledges = status_in(Status.PUBLISHED, Status.FUNDING)
is_engageable = status_in(Status.PUBLISHED, Status.FUNDING, Status.FUNDED, Status.REALISED)
is_realisable = status_in(Status.PUBLISHED, Status.FUNDED)
is_archivable = status_in(Status.PUBLISHED, Status.FUNDED, Status.NOT_FUNDED, Status.REALISED, Status.DECLINED)
# The team can still change until the initiative is declined or archived.
has_open_team = status_in(*(set(Status.values) - {Status.DECLINED, Status.ARCHIVED}))


@rules.predicate
def is_main_initiator(user, initiative):
    return user.is_authenticated and initiative is not None and initiative.initiator_id == user.pk


@rules.predicate
def reconsideration_unused(_user, initiative):
    return initiative is not None and not initiative.reconsideration_requested


@rules.predicate
def asks_money(_user, initiative):
    return initiative is not None and initiative.asks_money


@rules.predicate
def is_pledger(user, pledge):
    return user.is_authenticated and pledge is not None and pledge.pledger_id == user.pk


@rules.predicate
def pledge_is_cancellable(_user, pledge):
    """Active, and its initiative still takes pledges on or before its deadline day."""
    if pledge is None or pledge.status != "active":
        return False
    initiative = pledge.initiative
    if initiative.status not in (Status.PUBLISHED, Status.FUNDING):
        return False
    return initiative.deadline is None or timezone.localdate() <= initiative.deadline


@rules.predicate
def awaits_council_outcome(_user, initiative):
    """On its council's agenda, and the council has not decided yet."""
    item = getattr(initiative, "agenda_item", None)
    return item is not None and not item.is_decided


can_oversee = is_council_member_of | is_staff  # the kern's council, or staff: sees everything, moderates
can_view = is_public | is_initiator | can_oversee

rules.add_perm("initiatives.create_initiative", is_resident & has_kern)
rules.add_perm("initiatives.view_initiative", can_view)
rules.add_perm("initiatives.change_initiative", is_initiator & is_editable)
rules.add_perm("initiatives.submit_initiative", is_initiator & is_editable)
# Only the one who began it throws a draft away; once submitted, others have seen it.
rules.add_perm("initiatives.delete_initiative", is_main_initiator & status_in(Status.DRAFT))
rules.add_perm("initiatives.view_audit_trail", is_initiator | can_oversee)
# Nobody moderates their own initiative, not even staff.
rules.add_perm("initiatives.moderate_initiative", can_oversee & ~is_initiator & is_submitted)
rules.add_perm("initiatives.view_moderation_queue", is_council_member | is_staff)
rules.add_perm("initiatives.request_reconsideration", is_initiator & is_declined & reconsideration_unused)
rules.add_perm("initiatives.start_funding", (is_initiator | can_oversee) & status_in(Status.PUBLISHED) & asks_money)
rules.add_perm("initiatives.realise_initiative", (is_initiator | can_oversee) & is_realisable)
rules.add_perm("initiatives.archive_initiative", can_oversee & ~is_initiator & is_archivable)
rules.add_perm("initiatives.post_update", is_initiator & is_engageable)
rules.add_perm("initiatives.support_initiative", is_resident & ~is_initiator & is_engageable)
rules.add_perm("initiatives.follow_initiative", is_resident & can_view & is_public)
# Initiators do not pledge to their own initiative: their pledge would draw municipal matching.
rules.add_perm("initiatives.add_pledge", is_resident & ~is_initiator & is_open_for_pledges)
rules.add_perm("initiatives.cancel_pledge", is_pledger & pledge_is_cancellable)
rules.add_perm("initiatives.invite_co_initiators", is_initiator & has_open_team)
rules.add_perm("initiatives.join_initiative", is_resident & ~is_initiator & has_open_team)
rules.add_perm("initiatives.manage_team", is_main_initiator & has_open_team)
# The object is a Kern: how many supporters put an initiative on its council's agenda.
rules.add_perm("initiatives.set_support_threshold", is_council_member_of | is_staff)
# Set the meeting date and record the council's decision; as in moderation, never on one's own initiative.
rules.add_perm("initiatives.handle_agenda_item", can_oversee & ~is_initiator & awaits_council_outcome)
rules.add_perm("initiatives.manage_match_funds", is_staff)
rules.add_perm("initiatives.manage_payments", is_staff)
