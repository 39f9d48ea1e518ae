"""Who a request is to the workshop API: the site's session or a device cookie, and how often one may join."""

from __future__ import annotations

from rest_framework.authentication import SessionAuthentication
from rest_framework.throttling import SimpleRateThrottle

JOIN_RATE = "60/min"  # a village hall joins from one address; a code is one of a million


class SessionOrDevice(SessionAuthentication):
    """The site's session. A visitor's write needs the CSRF token as well: the device cookie is a credential."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            self.enforce_csrf(request)
        return found


class JoinThrottle(SimpleRateThrottle):
    """Joining by code, per account or per address (counted in the shared cache, over all workers); the rate
    is ``workshop_join`` in ``DEFAULT_THROTTLE_RATES``."""

    scope = "workshop_join"

    def get_rate(self):
        return self.THROTTLE_RATES.get(self.scope) or JOIN_RATE

    def get_cache_key(self, request, view):
        ident = f"user:{request.user.pk}" if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


