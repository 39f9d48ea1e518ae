"""Slots in kept HTML: places that each request fills in for its own viewer (decision 29: the workshop board,
the ballot of a village budget).

A slot is ``@@<key>:<name>[:<part>…]@@``. The key is derived from ``SECRET_KEY``, so text a resident types can never
look like a slot (a card saying "@@csrf@@" stays that text), and every worker process writes and reads
the same slots from the shared cache.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cache

from django.conf import settings


@cache
def _key() -> str:
    return hashlib.sha256(f"samenlab-slots:{settings.SECRET_KEY}".encode()).hexdigest()[:20]


@cache
def _pattern() -> re.Pattern:
    return re.compile(rf"@@{_key()}:([a-z-]+)((?::[0-9A-Za-z_-]+)*)@@")


def slot(name: str, *parts) -> str:
    """The slot ``name`` (lower case and hyphens) for ``parts`` (ids, short words)."""
    return f"@@{_key()}:{name}{''.join(f':{part}' for part in parts)}@@"


def fill(html: str, answer: Callable[[str, tuple[str, ...]], str]) -> str:
    """``html`` with every slot replaced by ``answer(name, parts)``, in one pass."""
    return _pattern().sub(lambda match: answer(match.group(1), tuple(match.group(2).split(":")[1:])), html)


@cache
def templates_digest(*names: str) -> str:
    """A digest of the templates whose output is kept with slots: part of every key of kept HTML, so that a new
    release (other markup, other slots) never reads what an older one kept in the shared cache."""
    from django.template.loader import get_template

    sources = [get_template(name).template.source for name in names]
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()[:12]
