"""Replay from any point equals a fresh fetch, for every event type (the property Zulip tests).

A random sequence of posts, replies, edits, deletions, hides, restores, reactions, closes and
reopens runs through the services. After every step we note the stream's last sequence number k
and what an anonymous visitor's fresh fetch shows. At the end, for every k: applying the stored
events after k to the state at k (with ``reduce_events``, which mirrors ``apply`` in
static/js/discussion.js) gives exactly what a fresh fetch shows now. And no replay from anywhere
carries a text that a fresh fetch no longer shows (hidden, deleted, or overwritten by an edit).
"""

import copy
import json
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from discussion import services
from discussion.models import Comment, Thread
from live.services import events_after, last_seq
from tests import factories
from tests.factories_discussion import kern_thread

pytestmark = pytest.mark.django_db

KINDS = ["eens", "dank", "idee", "vraag"]


# --- the client, in Python ----------------------------------------------------------------------
def instant(value: str | None) -> datetime | None:
    """A time as an instant (the API writes local time, events UTC)."""
    return datetime.fromisoformat(value) if value else None


def reduce_events(state: dict, events: list[dict]) -> dict:
    """Apply replayed events as static/js/discussion.js does (``apply``), on data instead of the DOM.

    The browser fetches each created/edited/restored comment's fragment; a redacted payload is one
    whose fragment the anonymous visitor cannot see (404: nothing shown). Hidden and deleted comments
    go (their fragment is a 404 for an anonymous visitor). Counts change only on a shown comment.
    """
    state = copy.deepcopy(state)
    comments = state["comments"]
    for event in events:
        kind, data = event["type"], event["data"]
        if kind in ("comment.created", "comment.edited", "comment.restored"):
            if data.get("redacted"):
                comments.pop(data["id"], None)
            else:
                comments[data["id"]] = {
                    "parent_id": data["parent_id"], "author": data["author"], "body_html": data["body_html"],
                    "edited_at": instant(data["edited_at"]), "counts": data["counts"],
                }
        elif kind in ("comment.hidden", "comment.deleted"):
            comments.pop(data["id"], None)
        elif kind == "reaction.changed":
            if data["comment_id"] in comments:
                comments[data["comment_id"]]["counts"] = data["counts"]
        elif kind in ("thread.closed", "thread.reopened"):
            state["closed"] = kind == "thread.closed"
        else:  # pragma: no cover - a new event type must be added here and in discussion.js
            raise AssertionError(f"unknown event type {kind}")
    return state


def fresh_fetch(thread: Thread) -> dict:
    """What an anonymous visitor's fresh fetch shows: the thread's state and its public comments' text."""
    api = APIClient()
    info = api.get(f"/api/v1/threads/{thread.pk}/").json()
    comments, url = {}, f"/api/v1/threads/{thread.pk}/comments/"
    while url:
        page = api.get(url).json()
        for item in page["results"]:
            if item["is_deleted"] or item["is_hidden"]:
                continue
            comments[item["id"]] = {
                "parent_id": item["parent"], "author": item["author"], "body_html": item["body_html"],
                "edited_at": instant(item["edited_at"]), "counts": services.reaction_counts(item["id"]),
            }
        url = page["next"]
    return {"closed": info["is_closed"], "comments": comments}


# --- random histories ---------------------------------------------------------------------------
step = st.one_of(
    st.tuples(st.just("post"), st.integers(0, 2)),
    st.tuples(st.just("reply"), st.integers(0, 9), st.integers(0, 2)),
    st.tuples(st.just("edit"), st.integers(0, 9)),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("hide"), st.integers(0, 9)),
    st.tuples(st.just("restore"), st.integers(0, 9)),
    st.tuples(st.just("react"), st.integers(0, 9), st.sampled_from(KINDS), st.integers(0, 2)),
    st.tuples(st.just("close"),),
    st.tuples(st.just("reopen"),),
)


class History:
    def __init__(self):
        kern = factories.KernFactory()
        self.thread = kern_thread(kern)
        self.people = [factories.UserFactory(kern=kern) for _ in range(3)]
        self.moderator = factories.StaffFactory()
        self.comments: list[Comment] = []
        self.texts: list[str] = []  # every text ever written
        self.counter = 0

    def text(self) -> str:
        self.counter += 1
        text = f"tekst{self.thread.pk}z{self.counter}x"
        self.texts.append(text)
        return text

    def comment(self, index: int) -> Comment | None:
        if not self.comments:
            return None
        return Comment.objects.get(pk=self.comments[index % len(self.comments)].pk)

    def run(self, action: tuple) -> None:
        name, *args = action
        thread = Thread.objects.get(pk=self.thread.pk)
        try:
            if name == "post":
                self.comments.append(services.post_comment(thread=thread, author=self.people[args[0]],
                                                           body=self.text()))
            elif name == "reply" and (parent := self.comment(args[0])):
                self.comments.append(services.post_comment(thread=thread, author=self.people[args[1]],
                                                           body=self.text(), parent=parent))
            elif name == "edit" and (comment := self.comment(args[0])):
                services.edit_comment(comment=comment, editor=comment.author, body=self.text())
            elif name == "delete" and (comment := self.comment(args[0])):
                services.delete_comment(comment=comment, user=comment.author)
            elif name == "hide" and (comment := self.comment(args[0])):
                services.hide_comment(comment=comment, moderator=self.moderator, reason="Niet netjes")
            elif name == "restore" and (comment := self.comment(args[0])) and comment.is_hidden:
                services.restore_comment(comment=comment, moderator=self.moderator, reason="Toch in orde")
            elif name == "react" and (comment := self.comment(args[0])):
                services.toggle_reaction(comment=comment, user=self.people[args[2]], kind=args[1])
            elif name == "close":
                services.close_thread(thread=thread, moderator=self.moderator, reason="Afgerond")
            elif name == "reopen":
                services.close_thread(thread=thread, moderator=self.moderator, reason="", closed=False)
        except (PermissionDenied, ValidationError):
            pass  # refused steps change nothing and announce nothing


@override_settings(DISCUSSION_RATE_LIMIT=(1000, 60))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=14))
def test_replay_from_any_point_equals_a_fresh_fetch(actions):
    history = History()
    stream = history.thread.stream
    snapshots = [(last_seq(stream), fresh_fetch(history.thread))]
    for action in actions:
        history.run(action)
        snapshots.append((last_seq(stream), fresh_fetch(history.thread)))
    now = fresh_fetch(history.thread)
    for k, then in snapshots:
        assert reduce_events(then, events_after(stream, k, 10_000)) == now, f"replay from seq {k}"
    # Nothing a fresh fetch no longer shows leaves the server, from any starting point.
    everything = json.dumps(events_after(stream, 0, 10_000))
    shown = json.dumps(now, default=str)
    for text in history.texts:
        if text not in shown:
            assert text not in everything


def test_anonymous_replay_from_zero_has_no_hidden_or_deleted_text(kern, resident, staff):
    thread = kern_thread(kern)
    hidden = services.post_comment(thread=thread, author=resident, body="geheim-verborgen")
    deleted = services.post_comment(thread=thread, author=resident, body="geheim-verwijderd")
    edited = services.post_comment(thread=thread, author=resident, body="geheim-oude-versie")
    services.hide_comment(comment=hidden, moderator=staff, reason="Persoonlijke gegevens")
    services.delete_comment(comment=deleted, user=resident)
    services.edit_comment(comment=edited, editor=resident, body="nieuwe versie")
    replay = json.dumps(events_after(thread.stream, 0, 1000))
    assert "geheim" not in replay
    assert "nieuwe versie" in replay
    # Restored, the text is back where the comment was announced.
    services.restore_comment(comment=hidden, moderator=staff, reason="Toch in orde")
    created = [e for e in events_after(thread.stream, 0, 1000) if e["type"] == "comment.created"]
    assert "geheim-verborgen" in created[0]["data"]["body_html"]
