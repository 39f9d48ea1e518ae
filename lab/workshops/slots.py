"""Slots in kept board HTML: places that each request fills in for its own viewer (decision 29).

A slot is ``@@<key>:<name>[:<part>…]@@``. The key is derived from ``SECRET_KEY``, so text a participant types can
never look like a slot (a card saying "@@csrf@@" stays that text), and every worker process writes and reads
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
    return hashlib.sha256(f"samenlab-board-slots:{settings.SECRET_KEY}".encode()).hexdigest()[:20]


@cache
def _pattern() -> re.Pattern:
    return re.compile(rf"@@{_key()}:([a-z-]+)((?::[0-9A-Za-z_-]+)*)@@")


def slot(name: str, *parts) -> str:
    """The slot ``name`` (lower case and hyphens) for ``parts`` (ids, short words)."""
    return f"@@{_key()}:{name}{''.join(f':{part}' for part in parts)}@@"


def fill(html: str, answer: Callable[[str, tuple[str, ...]], str]) -> str:
    """``html`` with every slot replaced by ``answer(name, parts)``, in one pass."""
    return _pattern().sub(lambda match: answer(match.group(1), tuple(match.group(2).split(":")[1:])), html)
