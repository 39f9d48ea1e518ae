"""The one way services publish live events: persisted with a sequence number, sent after commit."""

import logging
import re

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F

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


def publish(*, stream: str, type: str, data: dict, persist: bool = True) -> LiveEvent | None:  # noqa: A002
    """Publish an event to everyone subscribed to ``stream``, after the current transaction commits.

    Precondition: ``data`` is JSON-serialisable and already fit for every subscriber of the stream
    (consumers relay, they do not filter). With ``persist`` the event gets the stream's next
    sequence number and is stored, so reconnecting clients can replay it; without, it is fire-and-
    forget (presence counts, typing hints). If the transaction rolls back, nothing is sent.
    """
    validate_stream(stream)
    with transaction.atomic():
        if persist:
            event = LiveEvent.objects.create(stream=stream, seq=_next_seq(stream), type=type, payload=data)
            message = event.as_message()
        else:
            event = None
            message = {"type": type, "stream": stream, "seq": None, "data": data}
        transaction.on_commit(lambda: send_now(stream, message))
    return event


def send_now(stream: str, message: dict) -> None:
    """Hand a message to the channel layer at once (use ``publish`` from services)."""
    layer = get_channel_layer()
    if layer is None:  # pragma: no cover - a configured site always has a layer
        return
    try:
        async_to_sync(layer.group_send)(group_name(stream), {"type": "live.event", "message": message})
    except Exception:  # the state change has committed; a lost push is recovered by replay on reconnect
        logger.exception("Could not send live event to %s", stream)


def events_after(stream: str, after: int, limit: int) -> list[dict]:
    """Persisted events of ``stream`` with a sequence number above ``after``, oldest first."""
    events = LiveEvent.objects.filter(stream=stream, seq__gt=after).order_by("seq")[:limit]
    return [event.as_message() for event in events]


def last_seq(stream: str) -> int:
    return StreamCounter.objects.filter(stream=stream).values_list("last_seq", flat=True).first() or 0


def forget_streams(streams: list[str]) -> None:
    """Delete the stored events and counters of ``streams`` (their object is gone: nothing to replay)."""
    LiveEvent.objects.filter(stream__in=streams).delete()
    StreamCounter.objects.filter(stream__in=streams).delete()
