"""What can be told, registered once by the app that tells it.

A kind has a title with ``%(name)s`` placeholders that is translated when shown (so each reader sees
their own language), the group of people it is for (for the settings page), and the e-mail delivery
a person gets until they choose another. ``prepare`` turns stored params into display values at
render time, for values whose form depends on the language (amounts of money).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from community.models.notifications import Delivery


class Audience:
    """Who a kind is for: its heading on the settings page, and whether the person sees it there."""

    EVERYONE = "everyone"
    INITIATOR = "initiator"
    FOLLOWER = "follower"
    COUNCIL = "council"
    STAFF = "staff"

    LABELS = {
        EVERYONE: _("Over uzelf"),
        INITIATOR: _("Over uw initiatieven"),
        FOLLOWER: _("Over wat u volgt"),
        COUNCIL: _("Voor de dorpsraad"),
        STAFF: _("Voor medewerkers"),
    }
    ORDER = [EVERYONE, INITIATOR, FOLLOWER, COUNCIL, STAFF]

    @classmethod
    def applies_to(cls, audience: str, user) -> bool:
        """Whether ``user`` can receive kinds of ``audience`` (so the settings page offers them)."""
        from community.rules import is_council_member, is_staff

        if audience == cls.COUNCIL:
            return bool(is_council_member(user))
        if audience == cls.STAFF:
            return bool(is_staff(user))
        return True


@dataclass(frozen=True)
class Kind:
    key: str
    # Lazy, with %(…)s placeholders filled from the notification's params; or {variant: title} for a kind
    # that says one thing in several ways (approved / rejected), chosen by ``params["variant"]``.
    title: str | dict
    label: str  # lazy: the choice on the settings page ("Iemand doet een toezegging voor uw initiatief")
    audience: str = Audience.EVERYONE
    default: str = Delivery.AT_ONCE
    prepare: Callable[[dict], dict] | None = field(default=None, compare=False)


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Register ``kind`` (call from ``AppConfig.ready``); registering the same key again replaces it."""
    _kinds[kind.key] = kind
    return kind


def get(key: str) -> Kind:
    """The registered kind; ``KeyError`` for an unknown key (a typo must fail loudly in tests)."""
    return _kinds[key]


def all_kinds() -> list[Kind]:
    return list(_kinds.values())


def render_title(notification) -> str:
    """The notification's line in the active language; a kind that is gone falls back to the stored title."""
    kind = _kinds.get(notification.kind)
    if kind is None:
        return notification.title
    params = dict(notification.params or {})
    title = kind.title.get(params.get("variant"), "") if isinstance(kind.title, dict) else kind.title
    if kind.prepare is not None:
        params = kind.prepare(params)
    try:
        return str(title) % params if params else str(title)
    except (KeyError, TypeError, ValueError):  # params of an older version of the kind: show what was stored
        return notification.title or str(kind.label)
