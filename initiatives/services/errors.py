"""Domain errors with a plain Dutch message a resident can read. Raising one changes nothing."""

from django.core.exceptions import ValidationError


class InitiativeError(ValidationError):
    """Base of every refusal by the initiatives services (a ``ValidationError``, so forms show it as is)."""


class InvalidTransition(InitiativeError):
    """The initiative is not in a state where this step is possible."""


class PledgeRefused(InitiativeError):
    """A pledge (or its cancellation) is not possible now."""


class IdempotencyConflict(InitiativeError):
    """The same idempotency key was sent before with a different pledge."""


class PossibleDuplicate(InitiativeError):
    """The same pledge (or draft) was made moments ago with another key; made again only when confirmed."""
