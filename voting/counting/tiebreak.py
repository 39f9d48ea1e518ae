"""The documented tie-break: lowest cost first, then most votes, then by lot with a published seed.

The lot is a shuffle anyone can redo: sort the project ids, shuffle them with Python's
``random.Random(seed).shuffle``, and a project's place in that list is its lot. ``random.Random`` seeded
with text hashes the text with SHA-512, so the same seed gives the same lot on every machine and every
Python version since 3.2. Publish the seed before the count and the lot cannot be steered afterwards.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from voting.counting.election import Election


def lot_order(project_ids: list[str] | tuple[str, ...], seed: str) -> list[str]:
    """The project ids in the order the lot puts them (first = wins a tie by lot)."""
    if not isinstance(seed, str) or not seed:
        raise ValueError("The seed of the lot must be non-empty text, published before the count.")
    order = sorted(project_ids)
    random.Random(seed).shuffle(order)
    return order


@dataclass(frozen=True)
class TieBreak:
    """Orders tied projects: ``key(project_id)`` is smallest for the project that wins the tie."""

    election: Election
    seed: str
    _keys: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        support = self.election.support()
        lot = {project_id: place for place, project_id in
               enumerate(lot_order([project.id for project in self.election.projects], self.seed))}
        object.__setattr__(self, "_keys", {
            project.id: (project.cost, -support[project.id][0], lot[project.id])
            for project in self.election.projects
        })

    def key(self, project_id: str) -> tuple:
        """(cost, minus the votes, place in the lot): compare these to break a tie."""
        return self._keys[project_id]

    def first(self, project_ids) -> str:
        return min(project_ids, key=self._keys.__getitem__)
