"""Helpers shared by the walk services: locking, asking the rule, cleaning what people type."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.permissions import require
from core.text import plain as core_plain
from maps import geo
from maps.models import Observation, Walk
from maps.services.errors import WalkError


def lock_walk(walk: Walk | int) -> Walk:
    """The walk's row, locked until the surrounding transaction ends (call inside ``atomic``)."""
    pk = walk if isinstance(walk, int) else walk.pk
    return Walk.objects.select_for_update(of=("self",)).select_related("kern").get(pk=pk)


def lock_observation(observation: Observation | int) -> Observation:
    pk = observation if isinstance(observation, int) else observation.pk
    return Observation.objects.select_for_update(of=("self",)).select_related("walk__kern").get(pk=pk)


def require_perm(actor, perm: str, obj, message: str | None = None) -> None:
    """Ask the rule itself (superusers pass only where a rule says so)."""
    require(actor, perm, obj, message or _("U mag dit niet doen bij deze wijkschouw."))


def plain(value, *, field: str, max_length: int, required: bool = False) -> str:
    """Plain text (``core.text.plain``), refused with a ``WalkError``."""
    return core_plain(value, field=field, max_length=max_length, required=required, error=WalkError)


def check_location(latitude, longitude) -> None:
    """``maps.geo.validate_location`` as a ``WalkError`` (same message and code)."""
    try:
        geo.validate_location(latitude, longitude)
    except ValidationError as error:
        raise WalkError(error.messages[0], code=error.code) from None
