"""What can be asked about: each app describes its encounters (a walk, a workshop) once, lab imports none.

An app calls ``register_subject`` from its ``AppConfig.ready``. A subject is then named by
``(kind, object_id)``: lab stores those two values and asks the registration for the rest (the object,
its title, its link, who may read the answers). An encounter that is gone answers ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

KIND = re.compile(r"^[a-z][a-z0-9_.-]{0,49}$")


class UnknownSubject(LookupError):
    """No app registered this kind (a typo, or the app was removed)."""


@dataclass(frozen=True)
class Subject:
    kind: str
    resolve: Callable[[int], object | None] = field(compare=False)
    title: Callable[[object], str] = field(compare=False)
    question: str = field(compare=False)  # lazy: "Hoe was deze wijkschouw?"
    may_see_answers: str = ""  # a django-rules permission that receives the object
    url: Callable[[object], str] = field(compare=False, default=lambda obj: "")
    label: str = field(compare=False, default="")  # lazy, for the staff overview's filter: "Wijkschouwen"

    def object(self, object_id) -> object | None:
        """The encounter, or None when it is gone (or the id is not a number)."""
        try:
            return self.resolve(int(object_id))
        except (TypeError, ValueError):
            return None


_subjects: dict[str, Subject] = {}


def register_subject(kind: str, *, resolve: Callable[[int], object | None], title: Callable[[object], str],
                     question: str, may_see_answers: str, url: Callable[[object], str],
                     label: str = "") -> Subject:
    """Make ``kind`` something people can be asked about (call from ``AppConfig.ready``).

    ``resolve(object_id)`` returns the encounter or None; ``title(obj)`` names it for people;
    ``question`` is the lazy heading of the form ("Hoe was deze wijkschouw?"); ``may_see_answers`` is the
    rule asked with the object before anyone reads the answers; ``url(obj)`` links back to it;
    ``label`` (optional, lazy) names the kind in the staff overview ("Wijkschouwen").
    Registering the same kind again replaces it.
    """
    if not KIND.match(kind):
        raise ValueError(f"A feedback kind is lower case letters, digits, '_', '.' or '-': {kind!r}")
    subject = Subject(kind=kind, resolve=resolve, title=title, question=question,
                      may_see_answers=may_see_answers, url=url, label=label or kind)
    _subjects[kind] = subject
    return subject


def get_subject(kind: str) -> Subject:
    """The registered subject; ``UnknownSubject`` for a kind nobody registered."""
    try:
        return _subjects[kind]
    except KeyError:
        raise UnknownSubject(kind) from None


def all_subjects() -> list[Subject]:
    return sorted(_subjects.values(), key=lambda subject: subject.kind)


def unregister_subject(kind: str) -> None:
    """Forget ``kind`` (for tests that register their own)."""
    _subjects.pop(kind, None)
