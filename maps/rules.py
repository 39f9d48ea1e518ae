"""Who may do what with walks and observations: the one permission source for views, API, consumers, services.

Object predicates take a ``Walk`` or an ``Observation`` (its walk is used where the walk decides).
Sign-ups and organisers are read once per walk object and user, so asking several rules about one walk
costs at most one query each.
"""

import rules

from community.rules import is_council_member_of, is_resident, is_staff
from maps.models import Observation, Walk, WalkState


def walk_of(obj) -> Walk | None:
    if isinstance(obj, Observation):
        return obj.walk
    return obj if isinstance(obj, Walk) else None


def _kern_holder(obj):
    walk = walk_of(obj)
    return walk if walk is not None else obj


@rules.predicate
def oversees_kern(user, obj):
    """The council of the walk's kern (or the kern itself, for planning), or staff."""
    return is_staff(user) or is_council_member_of(user, _kern_holder(obj))


@rules.predicate
def is_organiser(user, obj):
    walk = walk_of(obj)
    return walk is not None and user.is_authenticated and user.pk in walk.organiser_ids()


@rules.predicate
def is_signed_up(user, obj):
    walk = walk_of(obj)
    if walk is None or not user.is_authenticated:
        return False
    cache = walk.__dict__.setdefault("_signed_up", {})
    if user.pk not in cache:
        cache[user.pk] = walk.signups.filter(user_id=user.pk).exists()
    return cache[user.pk]


def walk_state_in(*states):
    allowed = frozenset(states)

    @rules.predicate(name=f"walk_state_in_{'_'.join(sorted(allowed))}")
    def predicate(_user, obj):
        walk = walk_of(obj)
        return walk is not None and walk.state in allowed

    return predicate


is_open_walk = walk_state_in(WalkState.PLANNED, WalkState.IN_PROGRESS)
is_after_start = walk_state_in(WalkState.IN_PROGRESS, WalkState.FINISHED)


@rules.predicate
def is_capturing(_user, obj):
    walk = walk_of(obj)
    return walk is not None and walk.is_capturing


@rules.predicate
def has_room(_user, walk):
    """A place is left (the service counts again under the walk's lock)."""
    if walk is None or walk.max_participants is None:
        return True
    count = getattr(walk, "signup_count", None)
    if count is None:
        count = walk.signups.count()
    return count < walk.max_participants


@rules.predicate
def is_author(user, observation):
    return (isinstance(observation, Observation) and user.is_authenticated
            and observation.author_id == user.pk)


@rules.predicate
def is_new_observation(_user, observation):
    return isinstance(observation, Observation) and observation.state == "new"


@rules.predicate
def is_public_observation(_user, observation):
    """Public after triage, or at once when the walk says so; a merged one only through its survivor."""
    if not isinstance(observation, Observation) or observation.state == "merged":
        return False
    return observation.is_triaged or observation.walk.observations_public


# Who walks along: the live map, every observation of the walk, recording when the walk is on.
takes_part = is_signed_up | is_organiser | oversees_kern

rules.add_perm("maps.plan_walk", is_resident & oversees_kern)
rules.add_perm("maps.view_walk", rules.always_allow)
rules.add_perm("maps.change_walk", is_open_walk & (is_organiser | oversees_kern))
# Start and finish the walk (the organisers, the council of the kern, staff).
rules.add_perm("maps.run_walk", is_open_walk & (is_organiser | oversees_kern))
rules.add_perm("maps.sign_up", is_resident & is_open_walk & ~is_signed_up & has_room)
rules.add_perm("maps.cancel_signup", is_open_walk & is_signed_up)
rules.add_perm("maps.follow_walk_live", is_resident & takes_part & ~walk_state_in(WalkState.CANCELLED))
rules.add_perm("maps.observe", is_resident & takes_part & is_capturing)
rules.add_perm("maps.view_observation", is_public_observation | (is_resident & (is_author | takes_part)))
rules.add_perm("maps.add_observation_photo", is_author & is_new_observation & is_capturing)
rules.add_perm("maps.triage", is_resident & oversees_kern & is_after_start)
rules.add_perm("maps.view_walk_feedback", is_organiser | oversees_kern)
# Share where the group is on everyone's map (an organiser's phone, or the council's, staff's).
rules.add_perm("maps.share_group_position", is_resident & is_open_walk & (is_organiser | oversees_kern))
