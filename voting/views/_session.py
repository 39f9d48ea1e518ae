"""The letter code a resident typed, kept in their (server-side) session until their ballot is cast.

Precondition for every view of a ballot by code: the code was checked by ``voting.services.casting.find_code``
before it was remembered. The session forgets it when the ballot is cast or the visitor signs out.
"""

from __future__ import annotations

SESSION_KEY = "voting_codes"


def code_for(request, box) -> str | None:
    return (request.session.get(SESSION_KEY) or {}).get(str(box.pk))


def remember_code(request, box, code: str) -> None:
    codes = dict(request.session.get(SESSION_KEY) or {})
    codes[str(box.pk)] = code
    request.session[SESSION_KEY] = codes


def forget_code(request, box) -> None:
    codes = dict(request.session.get(SESSION_KEY) or {})
    if codes.pop(str(box.pk), None) is not None:
        request.session[SESSION_KEY] = codes
