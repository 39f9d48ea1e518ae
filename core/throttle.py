"""Throttles for forms that reach staff (call-back requests, sign-ups): allauth's rate-limit machinery.

The rates live beside the log-in throttle in ``ACCOUNT_RATE_LIMITS`` (settings, from the environment; see
the README's table), in allauth's notation: ``5/h/ip,3/10m/key`` allows 5 per hour per address and 3 per
10 minutes per browser session (``key`` is the session here). ``user`` counts per signed-in account. The
counts are kept in the cache: Redis in production, so that all workers count together.
"""

from __future__ import annotations

from allauth.core import ratelimit
from django.utils.translation import gettext as _

CALLBACK = "callback"  # anonymous "bel mij terug"
CALLBACK_SIGNED_IN = "callback_signed_in"
SIGNUP = "signup_request"  # a valid sign-up (allauth's own "signup" limit counts every POST per address)

TOO_OFTEN_STATUS = 429


def allow(request, action: str) -> bool:
    """Count one ``action`` by this visitor; ``False`` (and nothing counted) once a limit is reached.

    Precondition: a POST that is about to store something. Per address (``ip``), per browser session
    (``key``) and per account (``user``), as the action's rates say.
    """
    session = getattr(request, "session", None)
    key = None
    if session is not None:
        if not session.session_key:
            session.save()  # an anonymous visitor gets a session to count on
        key = f"session:{session.session_key}"
    return ratelimit.consume(request, action=action, key=key)


def callback_action(user) -> str:
    return CALLBACK_SIGNED_IN if user.is_authenticated else CALLBACK


def too_often_message() -> str:
    return _("U heeft dit formulier kort na elkaar al een paar keer verstuurd. Probeer het later opnieuw. "
             "Wilt u ons eerder spreken? Bel de gemeente op 14 0184; we verbinden u door.")
