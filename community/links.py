"""Addresses the CMS owns that domain pages link to ("the staff directory"): the CMS registers a resolver in its
``AppConfig.ready``, so the domain never imports the CMS (docs/decisions/0013-one-meaning-of-may.md)."""

from collections.abc import Callable

_resolvers: dict[str, Callable[[], str | None]] = {}


def register(name: str, resolver: Callable[[], str | None]) -> None:
    _resolvers[name] = resolver


def url_for(name: str, default: str = "/") -> str:
    resolver = _resolvers.get(name)
    return (resolver() if resolver else None) or default
