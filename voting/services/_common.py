"""What every voting service shares: the refusal, the lock on a box, secrets and their hashes, the live stream."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.permissions import require
from live.services import publish
from voting.models import BallotBox

# Crockford's base32: no I, L, O or U, so nothing on a letter reads as another character.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
CODE_LENGTH = 26  # 26 × 5 = 130 bits
RECEIPT_LENGTH = 16  # 80 bits: a receipt is checked, never guessed into a ballot
NOT_ALLOWED = _("Dat kan nu niet bij deze stemming.")


class VotingError(ValidationError):
    """Every refusal of the voting services (forms show it as is). Changes nothing."""


class AlreadyVoted(VotingError):
    """This voter or code is in the register already: a refusal about the state, not the request (API: 409)."""


def stream_of(box: BallotBox | int) -> str:
    """A box's stream: only what everyone may see (opening, closing, a published result; never a count)."""
    return f"voting.{box if isinstance(box, int) else box.pk}"


def announce(box: BallotBox | int, type: str, data: dict) -> None:  # noqa: A002
    publish(stream=stream_of(box), type=type, data=data)


def lock_box(box: BallotBox | int) -> BallotBox:
    """The box's row, locked until the surrounding transaction ends (call inside ``atomic``)."""
    pk = box if isinstance(box, int) else box.pk
    return BallotBox.objects.select_for_update(of=("self",)).get(pk=pk)


def require_perm(actor, perm: str, obj, message=None) -> None:
    require(actor, perm, obj, str(message or NOT_ALLOWED))


def random_secret(length: int) -> str:
    """``length`` characters of Crockford base32 from the system's secure random source."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(code: str) -> str:
    """What a person typed, as stored: upper case, no spaces or dashes, look-alikes read as digits."""
    if not isinstance(code, str):
        return ""
    return "".join(ch for ch in code.upper().translate(LOOK_ALIKES) if ch.isalnum())


def hash_secret(code: str) -> str:
    """SHA-256 of the normalised code. Codes carry 80-130 random bits: no salt or slow hash is needed."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def grouped(code: str, size: int = 4) -> str:
    """``ABCD-EFGH-…`` for printing and reading aloud."""
    code = normalise(code)
    return "-".join(code[i:i + size] for i in range(0, len(code), size))
