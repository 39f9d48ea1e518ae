"""One short feedback for every encounter: "Hoe was het?" in three taps and an optional line of text.

Other apps use:

- ``register_subject(kind, *, resolve, title, question, may_see_answers, url)`` from ``AppConfig.ready``;
- ``invite(*, kind, object_id, users, send=True)`` after the encounter (one invitation per person);
- ``answer(*, token=None, user=None, kind, object_id, experience, heard, again, text="")``;
- ``results_for(*, kind, object_id)`` to show the counts in their own pages.

Answers are anonymous: the invitation records only that it was used (docs/decisions/0024-…).
"""

from lab.feedback.subjects import Subject, UnknownSubject, all_subjects, get_subject, register_subject

__all__ = ["Subject", "UnknownSubject", "all_subjects", "answer", "get_subject", "invite", "register_subject",
           "results_for"]


def __getattr__(name):
    # Services and selectors import models: loaded on first use, so apps may import this package early.
    if name in ("invite", "answer"):
        from lab.feedback import services

        return getattr(services, name)
    if name == "results_for":
        from lab.feedback import selectors

        return selectors.results_for
    raise AttributeError(name)
