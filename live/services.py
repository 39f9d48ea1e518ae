"""The one way services publish live events: persisted with a sequence number, sent after commit."""

import asyncio
import json
import logging
import os
import re

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F, Subquery
from django.db.models.functions import Coalesce

from live.models import LiveEvent, StreamCounter

logger = logging.getLogger(__name__)

_STREAM_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_-]+)*$")


def group_name(stream: str) -> str:
    """Channel-layer group for a stream (the layer allows only ASCII letters, digits, '-', '_', '.')."""
    return f"live.{stream}"


def validate_stream(stream: str) -> str:
    if not _STREAM_RE.match(stream) or len(stream) > 100:
        raise ValueError(f"Invalid stream name: {stream!r}")
    return stream


def _next_seq(stream: str) -> int:
    """Take the next number of ``stream`` under a row lock, so parallel writers never share one."""
    StreamCounter.objects.get_or_create(stream=stream)
    StreamCounter.objects.filter(stream=stream).update(last_seq=F("last_seq") + 1)
    return StreamCounter.objects.select_for_update().values_list("last_seq", flat=True).get(stream=stream)


def publish(*, stream: str, type: str, data: dict, persist: bool = True, subject: str = "",  # noqa: A002
            client_key: str = "") -> LiveEvent | None:
    """Publish an event to everyone subscribed to ``stream``, after the current transaction commits.

    Precondition: ``data`` is JSON-serialisable and already fit for every subscriber of the stream
    (consumers relay, they do not filter). With ``persist`` the event gets the stream's next
    sequence number and is stored, so reconnecting clients can replay it; without, it is fire-and-
    forget (presence counts, typing hints). If the transaction rolls back, nothing is sent.
    ``subject`` names what the event is about ("comment:42"), so that ``rewrite_subject`` can later
    bring its stored events in line with the object's state; ``client_key`` records the write's
    idempotency key.
    """
    validate_stream(stream)
    with transaction.atomic():
        if persist:
            event = LiveEvent.objects.create(stream=stream, seq=_next_seq(stream), type=type, payload=data,
                                             subject=subject, client_key=(client_key or "")[:64])
            message = event.as_message()
        else:
            event = None
            message = {"type": type, "stream": stream, "seq": None, "data": data}
        # robust: work after commit never turns a committed write into an error (replay recovers a lost push)
        transaction.on_commit(lambda: send_now(stream, message), robust=True)
    return event


def rewrite_subject(*, stream: str, subject: str, types: tuple[str, ...], data: dict) -> int:
    """Replace the stored payload of every ``types`` event of ``subject`` by ``data`` (what a fresh fetch shows now).

    Call it in the transaction that changes the subject's state: a client replaying from before the
    change then never receives text that a page load would no longer show (hidden, deleted, or an
    older version of an edited text). Sequence numbers and types stay, so replay stays gap-free.
    """
    return LiveEvent.objects.filter(stream=stream, subject=subject, type__in=types).update(payload=data)


def write_seen(*, stream: str, subject: str, type: str, client_key: str) -> bool:  # noqa: A002
    """Whether a write with this idempotency key already published its event (a retry is then a replay)."""
    if not client_key:
        return False
    return LiveEvent.objects.filter(stream=stream, subject=subject, type=type, client_key=client_key[:64]).exists()


_background: set[asyncio.Task] = set()


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The ASGI server's event loop when called from one of its request threads (or in it), else None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid() or not loop.is_running():
        return None
    return loop


async def _send(layer, stream: str, message: dict) -> None:
    try:
        await layer.group_send(group_name(stream), _envelope(message))
    except Exception:  # the state change has committed; a lost push is recovered by replay on reconnect
        logger.exception("Could not send live event to %s", stream)


def _envelope(message: dict) -> dict:
    """The channel-layer message: serialised once here, not once per subscriber."""
    return {"type": "live.event", "message": message, "text": json.dumps(message, separators=(",", ":"))}


def send_now(stream: str, message: dict) -> None:
    """Hand a message to the channel layer (use ``publish`` from services).

    In a request thread of the ASGI server the send is scheduled on the server's event loop and this
    returns at once: the request does not wait for the fan-out. Elsewhere (management commands,
    task workers) it sends and waits.
    """
    layer = get_channel_layer()
    if layer is None:  # pragma: no cover - a configured site always has a layer
        return
    loop = _server_loop()
    if loop is not None:
        def spawn():
            task = loop.create_task(_send(layer, stream, message))
            _background.add(task)
            task.add_done_callback(_background.discard)

        loop.call_soon_threadsafe(spawn)
        return
    try:
        async_to_sync(_send)(layer, stream, message)
    except Exception:  # pragma: no cover - _send logs its own failures
        logger.exception("Could not send live event to %s", stream)


def events_after(stream: str, after: int, limit: int) -> list[dict]:
    """Persisted events of ``stream`` with a sequence number above ``after``, oldest first."""
    events = LiveEvent.objects.filter(stream=stream, seq__gt=after).order_by("seq")[:limit]
    return [event.as_message() for event in events]


def last_seq(stream: str) -> int:
    return StreamCounter.objects.filter(stream=stream).values_list("last_seq", flat=True).first() or 0


def last_seq_subquery(stream) -> Coalesce:
    """``last_seq`` as an expression, to read a stream's position with the object that owns the stream
    (``stream``: an expression naming it, with ``OuterRef`` to that object)."""
    return Coalesce(Subquery(StreamCounter.objects.filter(stream=stream).values("last_seq")[:1]), 0)


def forget_streams(streams: list[str]) -> None:
    """Delete the stored events and counters of ``streams`` (their object is gone: nothing to replay)."""
    LiveEvent.objects.filter(stream__in=streams).delete()
    StreamCounter.objects.filter(stream__in=streams).delete()
