"""How often one may try a letter code or a receipt code, per account or per address, over all workers.

The counts live in the shared cache (Redis in production). A code carries 130 random bits and a receipt 80, so
nobody guesses one; the limits keep a script from hammering the count and the register. The rates can be set in
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` under the scope's name; otherwise the defaults below hold.
"""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

CODE_RATE = "60/hour"  # a family votes with a few letters from one address; a village hall with more
RECEIPT_RATE = "30/min"


class _PerPersonOrAddress(SimpleRateThrottle):
    default_rate = ""

    def get_rate(self):
        return self.THROTTLE_RATES.get(self.scope) or self.default_rate

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = f"user:{user.pk}" if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class CodeThrottle(_PerPersonOrAddress):
    """Casting with a letter code (the API's ``code`` field). Asked only when a code is sent."""

    scope = "voting_code"
    default_rate = CODE_RATE


class ReceiptThrottle(_PerPersonOrAddress):
    """Checking a receipt (the API and the page ``voting:check_receipt``)."""

    scope = "voting_receipt"
    default_rate = RECEIPT_RATE


def allowed(throttle_class, request) -> tuple[bool, int]:
    """Count one try of ``request`` against ``throttle_class``: (allowed, seconds to wait when not).
    Works for a DRF request and for a plain Django request alike."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):
        return True, 0
    return False, int(throttle.wait() or 60)
