"""Guards in live/services.py around subjects and idempotency keys that no other test held (``make mutate``).

Each test fails when its line is mutated: publish stores what the event is about and the write's key (cut to
64 characters), ``rewrite_subject`` rewrites only the payloads of that stream, subject and those types,
``write_seen`` recognises a replayed key (and never an empty one), and a failing send after commit is
logged, not raised.
"""

import asyncio
import logging
import os
import threading

import pytest
from asgiref.sync import SyncToAsync
from django.db import transaction

from live import services
from live.models import LiveEvent
from live.services import publish, rewrite_subject, write_seen

pytestmark = pytest.mark.django_db


def payloads():
    return {(e.stream, e.subject, e.type): e.payload for e in LiveEvent.objects.all()}


def test_publish_stores_the_subject_and_the_client_key(sent):
    event = publish(stream="thread.1", type="comment.new", data={}, subject="comment:7", client_key="abc")
    stored = LiveEvent.objects.get(pk=event.pk)
    assert (stored.subject, stored.client_key) == ("comment:7", "abc")


def test_publish_cuts_the_client_key_to_64_characters(sent):
    event = publish(stream="thread.1", type="comment.new", data={}, client_key="k" * 64 + "xyz")
    assert LiveEvent.objects.get(pk=event.pk).client_key == "k" * 64


def test_publish_without_a_client_key_stores_an_empty_one(sent):
    event = publish(stream="thread.1", type="comment.new", data={}, client_key=None)
    assert LiveEvent.objects.get(pk=event.pk).client_key == ""


def test_rewrite_touches_only_that_stream_subject_and_types_and_writes_the_payload(sent):
    old = {"text": "oud"}
    for stream, subject, type_ in [("thread.1", "comment:7", "comment.new"),
                                   ("thread.1", "comment:7", "comment.edited"),
                                   ("thread.1", "comment:7", "reaction.new"),
                                   ("thread.1", "comment:8", "comment.new"),
                                   ("thread.2", "comment:7", "comment.new")]:
        publish(stream=stream, type=type_, data=old, subject=subject)
    changed = rewrite_subject(stream="thread.1", subject="comment:7", types=("comment.new", "comment.edited"),
                              data={"text": "verborgen"})
    assert changed == 2
    assert payloads() == {
        ("thread.1", "comment:7", "comment.new"): {"text": "verborgen"},
        ("thread.1", "comment:7", "comment.edited"): {"text": "verborgen"},
        ("thread.1", "comment:7", "reaction.new"): old,
        ("thread.1", "comment:8", "comment.new"): old,
        ("thread.2", "comment:7", "comment.new"): old,
    }


def test_a_replayed_client_key_is_seen(sent):
    publish(stream="thread.1", type="comment.edited", data={}, subject="comment:7", client_key="k" * 70)
    assert write_seen(stream="thread.1", subject="comment:7", type="comment.edited", client_key="k" * 70)
    assert write_seen(stream="thread.1", subject="comment:7", type="comment.edited", client_key="k" * 64)


@pytest.mark.parametrize(("stream", "subject", "type_", "key"), [
    ("thread.2", "comment:7", "comment.edited", "abc"),
    ("thread.1", "comment:8", "comment.edited", "abc"),
    ("thread.1", "comment:7", "comment.new", "abc"),
    ("thread.1", "comment:7", "comment.edited", "abd"),
])
def test_a_key_is_seen_only_for_its_stream_subject_and_type(sent, stream, subject, type_, key):
    publish(stream="thread.1", type="comment.edited", data={}, subject="comment:7", client_key="abc")
    assert not write_seen(stream=stream, subject=subject, type=type_, client_key=key)


def test_an_empty_key_is_never_seen(sent):
    publish(stream="thread.1", type="comment.edited", data={}, subject="comment:7")  # stored with key ""
    assert not write_seen(stream="thread.1", subject="comment:7", type="comment.edited", client_key="")


def test_a_failing_send_after_commit_is_logged_not_raised(monkeypatch, caplog, django_capture_on_commit_callbacks):
    def broken(stream, message):
        raise RuntimeError("layer gone")

    monkeypatch.setattr(services, "send_now", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = publish(stream="thread.1", type="comment.new", data={})
    assert LiveEvent.objects.filter(pk=event.pk).exists()
    assert "layer gone" in caplog.text


# ------------------------------------------------------------------------- the ASGI server's event loop


@pytest.fixture
def server_loop():
    """An event loop running in another thread, registered as asgiref registers the server's loop."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    local = SyncToAsync.threadlocal
    local.main_event_loop, local.main_event_loop_pid = loop, os.getpid()
    yield loop
    del local.main_event_loop, local.main_event_loop_pid
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def test_outside_the_server_there_is_no_server_loop(monkeypatch):
    monkeypatch.delattr(SyncToAsync.threadlocal, "main_event_loop", raising=False)
    assert services._server_loop() is None


def test_in_a_request_thread_the_server_loop_is_found(server_loop):
    assert services._server_loop() is server_loop


def test_a_loop_of_another_process_is_not_the_server_loop(server_loop):
    SyncToAsync.threadlocal.main_event_loop_pid = os.getpid() + 1  # inherited by a forked child
    assert services._server_loop() is None


def test_a_stopped_loop_is_not_the_server_loop(server_loop):
    stopped = asyncio.new_event_loop()
    SyncToAsync.threadlocal.main_event_loop = stopped
    try:
        assert services._server_loop() is None
    finally:
        stopped.close()


def test_in_a_request_thread_the_send_is_handed_to_the_server_loop_without_waiting(server_loop, monkeypatch):
    ran_on = []
    returned, done = threading.Event(), threading.Event()

    class Layer:
        async def group_send(self, group, envelope):
            for _ in range(200):  # the request thread returns before the fan-out (at most 2 s here)
                if returned.is_set():
                    break
                await asyncio.sleep(0.01)
            ran_on.append((asyncio.get_running_loop(), group, envelope["message"], returned.is_set()))
            done.set()

    monkeypatch.setattr(services, "get_channel_layer", Layer)
    services.send_now("thread.1", {"n": 1})
    returned.set()
    assert done.wait(5)
    assert ran_on == [(server_loop, "live.thread.1", {"n": 1}, True)]
