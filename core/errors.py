"""Errors every layer shares: what "the site is too busy right now" looks like, whatever raised it.

Real overload (a lock wait or a pooled connection that does not come in time) answers 503 with
``Retry-After`` and changes nothing; it must never surface as a 500. The web middleware and the API's
exception handler both ask ``is_overload``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5


def error_messages(error) -> list[str]:
    """What a refused step (``ValidationError``, ``PermissionDenied``, a service's own error) says to the
    person, as a list of sentences: its messages, or its text."""
    return list(getattr(error, "messages", None) or [str(error)])


def error_text(error) -> str:
    """The same as one line for a flash message or a form's error; never empty."""
    return " ".join(error_messages(error)) or _("Dat mag niet.")


class Overloaded(Exception):
    """Raised (or translated to) when a request gave up waiting for a lock or a database connection."""


def is_overload(error: BaseException) -> bool:
    """Whether ``error`` means "too busy, try again shortly" rather than a bug.

    Precondition: ``error`` was raised while serving a request. Recognises ``Overloaded``, psycopg's pool
    time-out, PostgreSQL's lock and statement time-outs, and SQLite's "database is locked".
    """
    if isinstance(error, Overloaded):
        return True
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # pragma: no cover - psycopg is a dependency
        PoolTimeout = ()  # noqa: N806
    if PoolTimeout and isinstance(error, PoolTimeout):
        return True
    cause = error
    for _depth in range(5):  # Django wraps driver errors; look through the chain
        if cause is None:
            break
        sqlstate = getattr(cause, "sqlstate", None) or getattr(getattr(cause, "diag", None), "sqlstate", None)
        if sqlstate in ("55P03", "57014"):  # lock_not_available, query_canceled (statement_timeout)
            return True
        if PoolTimeout and isinstance(cause, PoolTimeout):
            return True
        if "database is locked" in str(cause) or "couldn't get a connection" in str(cause):
            return True
        cause = cause.__cause__ or cause.__context__
    return False
