"""The ballot's list of projects, rendered once and filled in per voter (decision 29's slots, decision 36).

A ballot of 200 projects is 200 labels, descriptions, costs and inputs: rendering them costs a core some 30 ms
per request, the same for every voter. So the list is kept per page generation (every change to a budget or
its projects starts a new one), release of its template, language and budget. What is the voter's own (chosen
or not, points and their maximum, the note and the error beside a project) is a slot, filled in per request in
one pass.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.pagecache import shared_value
from core.slots import fill, templates_digest
from voting.models import Budget, Project

TEMPLATE = "voting/budgets/includes/ballot_items.html"


def ballot_items(budget: Budget, projects: list[Project], *, choices: dict[str, int], notes: dict[str, str],
                 limits: dict[str, int], errors: dict[str, str]) -> SafeString:
    """The ``<ul>`` of the ballot for this voter. Precondition: ``projects`` are the ballot's, in ballot order
    (``selectors.ballot_projects``); the dicts are keyed by project id as text."""

    def render() -> str:
        for project in projects:
            project.key = str(project.pk)
        return render_to_string(TEMPLATE, {"budget": budget, "projects": projects})

    kept = shared_value("ballot-items", templates_digest(TEMPLATE), budget.pk, budget.ballot_format,
                        translation.get_language(), compute=render)

    def answer(name: str, parts: tuple[str, ...]) -> str:
        key = parts[0]
        if name == "chosen":
            return " ballot-item--chosen" if choices.get(key) else ""
        if name == "checked":
            return " checked" if choices.get(key) else ""
        if name == "points":
            return str(choices.get(key, 0))
        if name == "limit":
            return str(limits.get(key, ""))
        if name == "invalid":
            return ' aria-invalid="true"' if errors.get(key) else ""
        if name == "note":
            return escape(notes.get(key, ""))
        if name == "error":
            return escape(errors.get(key, ""))
        raise ValueError(f"A slot without an answer: {name}")

    return mark_safe(fill(kept, answer))  # noqa: S308  (rendered by the template engine; the answers are escaped)
