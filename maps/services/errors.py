"""Refusals of the walk services, with a plain Dutch message. Raising one changes nothing."""

from django.core.exceptions import ValidationError


class WalkError(ValidationError):
    """Base of every refusal by the walk services (a ``ValidationError``, so forms show it as is)."""


class ClientIdConflict(WalkError):
    """The same client id was sent before for something else (another walk or another observation)."""


class WalkStateError(WalkError):
    """Not possible in the walk's or the observation's current state (full, started, decided on)."""
