"""Roles as django-rules predicates: the one permission source every door asks.

Roles: anonymous, resident (any signed-in person), verified resident of kern K, council member of
kern K, staff, facilitator, admin. Object predicates accept a ``Kern`` or any object with a ``kern``
(or ``kern_id``) attribute, so later apps reuse them for their own kern-bound objects.

Council memberships are read once per user per request and cached on the user object, so a page
that asks about many objects costs one query, not one per object.
"""

import rules

FACILITATORS_GROUP = "Facilitators"


def kern_id_of(obj) -> int | None:
    """The id of the kern an object belongs to: a Kern itself, or anything with ``kern``/``kern_id``."""
    from community.models import Kern

    if obj is None:
        return None
    if isinstance(obj, Kern):
        return obj.pk
    if hasattr(obj, "kern_id"):
        return obj.kern_id
    kern = getattr(obj, "kern", None)
    return kern.pk if kern is not None else None


def council_kern_ids(user) -> frozenset[int]:
    """Ids of the kernen whose council ``user`` sits on (cached on the user for this request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_council_kern_ids", None)
    if cached is None:
        cached = frozenset(user.council_memberships.values_list("kern_id", flat=True))
        user._council_kern_ids = cached
    return cached


@rules.predicate
def is_resident(user):
    return user.is_authenticated and user.is_active


@rules.predicate
def is_staff(user):
    """Municipal staff (``is_staff``): the one place that says "staff sees everything".

    Every queryset that lists what staff may see (``InitiativeQuerySet.visible_to``, the moderation
    queues) asks this same predicate, so the list and the rule cannot disagree. ``is_superuser`` alone
    does not make someone staff: see ``is_admin``.
    """
    return user is not None and user.is_authenticated and user.is_active and user.is_staff


@rules.predicate
def is_admin(user):
    """A site admin (``is_superuser``): configures the site in Wagtail. Not a resident with super powers:
    an admin passes a rule only where that rule names ``is_admin`` (docs/decisions/0013-one-meaning-of-may.md).
    """
    return user is not None and user.is_authenticated and user.is_active and user.is_superuser


@rules.predicate
def is_facilitator(user):
    if not (user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, "_is_facilitator", None)
    if cached is None:
        cached = user.groups.filter(name=FACILITATORS_GROUP).exists()
        user._is_facilitator = cached
    return cached


@rules.predicate
def is_council_member(user):
    """Sits on any village council."""
    return is_resident(user) and bool(council_kern_ids(user))


@rules.predicate
def is_council_member_of(user, obj):
    """Sits on the council of the kern that ``obj`` belongs to."""
    kern_id = kern_id_of(obj)
    return kern_id is not None and is_resident(user) and kern_id in council_kern_ids(user)


@rules.predicate
def is_resident_of(user, obj):
    """Lives (by their own profile) in the kern that ``obj`` belongs to."""
    kern_id = kern_id_of(obj)
    return kern_id is not None and is_resident(user) and user.kern_id == kern_id


@rules.predicate
def is_verified_resident_of(user, obj):
    """Lives in the kern of ``obj`` and a council member or staff has confirmed it."""
    return is_resident_of(user, obj) and user.residency_verified_at is not None


@rules.predicate
def is_self(user, other):
    return user.is_authenticated and other is not None and user.pk == getattr(other, "pk", None)


@rules.predicate
def is_callback_requester(user, callback):
    return user.is_authenticated and callback is not None and callback.requester_id == user.pk


can_moderate_kern = is_council_member_of | is_staff

rules.add_perm("community.moderate_kern", can_moderate_kern)
rules.add_perm("community.access_staff_desk", is_staff)
rules.add_perm("community.view_callback_list", is_staff)
rules.add_perm("community.view_callbackrequest", is_staff | is_callback_requester)
rules.add_perm("community.handle_callbackrequest", is_staff)
rules.add_perm("community.edit_profile", is_self)
rules.add_perm("community.export_own_data", is_self)
rules.add_perm("community.erase_own_account", is_self)
rules.add_perm("community.view_residents_to_confirm", is_council_member | is_staff)
# A resident's kern is their object kern: a council member confirms neighbours, never themselves.
rules.add_perm("community.confirm_residency", (is_council_member_of | is_staff) & ~is_self)
rules.add_perm("community.facilitate", is_facilitator | is_staff)
rules.add_perm("community.manage_site", is_admin)
# Who sits on which council and which staff show their face: staff keep these up to date, admins too.
rules.add_perm("community.manage_people", is_staff | is_admin)
# Staff work in the Wagtail admin (pages, images, documents); what they may edit there is governed by
# Wagtail's own page and collection permissions, granted to the editors' group.
rules.add_perm("wagtailadmin.access_admin", is_staff | is_admin)
