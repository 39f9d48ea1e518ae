"""Guards in live/services.py that no other test held: each test here fails when its line is mutated.

Found by mutation testing (``make mutate``, docs/testing.md): stream names are checked, a rolled-back publish
sends and stores nothing, an event is sent only after commit, and replay and counters keep streams apart.
"""

import logging

import pytest
from django.db import transaction

from live import services
from live.models import LiveEvent, StreamCounter
from live.services import events_after, last_seq, publish, validate_stream

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["health", "thread.42", "workshop.7.a-b_C", "a" * 100])
def test_a_valid_stream_name_is_accepted(name):
    assert validate_stream(name) == name


@pytest.mark.parametrize("name", ["", "Thread.1", "1thread", "thread 1", "thread..1", "thread.1/2", "a" * 101])
def test_an_invalid_stream_name_is_refused(name):
    with pytest.raises(ValueError, match="Invalid stream name"):
        validate_stream(name)


def test_publish_refuses_an_invalid_stream_and_stores_nothing(sent):
    with pytest.raises(ValueError):
        publish(stream="thread 1", type="comment.new", data={})
    assert not LiveEvent.objects.exists()
    assert not StreamCounter.objects.exists()
    assert sent == []


def test_an_event_is_sent_only_after_commit(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = publish(stream="thread.1", type="comment.new", data={"n": 1})
        assert sent == []  # still inside the transaction: nothing may leave yet
    assert sent == [("thread.1", {"type": "comment.new", "stream": "thread.1", "seq": 1, "data": {"n": 1}})]
    assert event.seq == 1


def test_a_rolled_back_publish_sends_nothing(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, \
            pytest.raises(RuntimeError), transaction.atomic():
        publish(stream="thread.1", type="comment.new", data={"n": 1})
        publish(stream="thread.1", type="presence", data={"viewers": 2}, persist=False)
        raise RuntimeError("the state change failed")
    assert callbacks == []
    assert sent == []
    assert not LiveEvent.objects.filter(stream="thread.1").exists()
    assert last_seq("thread.1") == 0


def test_a_failing_event_leaves_the_counter_alone(sent):
    """Taking the number and storing the event are one transaction: no gap when storing fails."""
    with pytest.raises(TypeError):
        publish(stream="thread.1", type="comment.new", data={"not json": object()})
    assert last_seq("thread.1") == 0
    assert publish(stream="thread.1", type="comment.new", data={}).seq == 1


def test_streams_count_separately(sent):
    assert publish(stream="thread.1", type="t", data={}).seq == 1
    assert publish(stream="thread.2", type="t", data={}).seq == 1
    assert publish(stream="thread.1", type="t", data={}).seq == 2
    assert publish(stream="thread.2", type="t", data={}).seq == 2
    assert (last_seq("thread.1"), last_seq("thread.2"), last_seq("thread.3")) == (2, 2, 0)


def test_replay_returns_only_this_stream_after_the_number_oldest_first_up_to_the_limit(sent):
    for n in range(1, 6):
        publish(stream="thread.1", type="t", data={"n": n})
        publish(stream="thread.2", type="t", data={"n": -n})
    replay = events_after("thread.1", 2, 2)
    assert [(m["stream"], m["seq"], m["data"]["n"]) for m in replay] == [("thread.1", 3, 3), ("thread.1", 4, 4)]
    assert [m["seq"] for m in events_after("thread.1", 0, 100)] == [1, 2, 3, 4, 5]
    assert events_after("thread.1", 5, 100) == []


def test_a_lost_push_is_logged_not_raised(monkeypatch, caplog):
    class BrokenLayer:
        async def group_send(self, group, message):
            raise ConnectionError("redis is gone")

    monkeypatch.setattr(services, "get_channel_layer", lambda: BrokenLayer())
    with caplog.at_level(logging.ERROR, logger="live.services"):
        services.send_now("thread.1", {"type": "t"})
    assert "Could not send live event to thread.1" in caplog.text
