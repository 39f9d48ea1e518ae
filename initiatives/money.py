"""One way to read an amount of euros, for the web forms, the API and the services alike.

People write "25", "25,50", "25.50", "€ 1.250,50" or "1 250,50"; all of these mean what they say. A lone
"1.250" is refused rather than guessed (Dutch reads € 1.250, English € 1,25). Refused,
with the same message everywhere: exponents (``1e2`` is not € 100), signs, more than two decimals, NaN or
Infinity, and anything else that is not plainly an amount. A ``Decimal`` or ``int`` passes as it is (it is
checked for cents and limits all the same); a ``float`` is refused (it cannot hold cents exactly).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.formats import money

CENT = Decimal("0.01")
PLEDGE_MIN = Decimal("1.00")
PLEDGE_MAX = Decimal("10000.00")

# Digits with optional thousands separators (".", " " or a no-break space in groups of three) and an
# optional decimal part of one or two digits after "," or ".".
_GROUPED_SPACE = re.compile(r"^[1-9]\d{0,2}(?:[ \u202f]\d{3})+(?:,\d{1,2})?$", re.ASCII)  # "1 250,50"
# "1.250,50" or "1.250.000"; a lone "1.250" is refused: Dutch means 1250, English 1.25.
_GROUPED_DOT = re.compile(r"^[1-9]\d{0,2}(?:(?:\.\d{3})+,\d{1,2}|(?:\.\d{3}){2,})$", re.ASCII)
_GROUPED_COMMA = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+\.\d{1,2}$", re.ASCII)  # "1,250.50", as English writes it
_PLAIN = re.compile(r"^\d+(?:[.,]\d{1,2})?$", re.ASCII)


def amount_message(minimum: Decimal = PLEDGE_MIN, maximum: Decimal = PLEDGE_MAX) -> str:
    return _("Vul een bedrag in tussen %(min)s en %(max)s, in hele centen, bijvoorbeeld 25 of 25,50.") % {
        "min": money(minimum), "max": money(maximum)}


def parse_euro(value, *, minimum: Decimal = PLEDGE_MIN, maximum: Decimal = PLEDGE_MAX,
               code: str = "amount", message: str | None = None) -> Decimal:
    """``value`` as a ``Decimal`` in whole cents within [minimum, maximum]; ``ValidationError(code)`` otherwise."""
    message = message or amount_message(minimum, maximum)
    amount = _read(value)
    if amount is None or amount != amount.quantize(CENT) or not minimum <= amount <= maximum:
        raise ValidationError(message, code=code)
    return amount.quantize(CENT)


def _read(value) -> Decimal | None:
    if isinstance(value, (bool, float)):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if not isinstance(value, str):
        return None
    text = value.strip().removeprefix("€").strip().replace("\u00a0", " ")
    if _GROUPED_SPACE.match(text) or _GROUPED_DOT.match(text):
        text = re.sub(r"[. \u202f]", "", text).replace(",", ".")
    elif _GROUPED_COMMA.match(text):
        text = text.replace(",", "")
    elif _PLAIN.match(text):
        text = text.replace(",", ".")
    else:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the patterns above only let digits through
        return None
