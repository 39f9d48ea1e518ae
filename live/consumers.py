"""The base every live consumer stands on: authorise, subscribe, replay what was missed, relay.

Protocol (documented in docs/realtime.md):
  connect          ws://…/ws/<stream path>/?after=<last seq seen>   (omit ``after`` on a first visit)
  server → client  {"type": "welcome", "stream": s, "last_seq": n}
                   {"type": <event>, "stream": s, "seq": n, "data": {...}}   missed events first
                   {"type": "replay.done", "last_seq": n}            then live events follow
                   {"type": "error", "code": c, "message": m}        the connection stays open
  client → server  {"type": "ping"}                                 heartbeat → {"type": "pong"}

Replay happens inside ``connect``: the consumer handles one message at a time, so live events that
arrive meanwhile wait in the queue and are relayed afterwards, deduplicated by sequence number.
Subclasses implement ``get_stream`` (authorisation included) and may handle more message types in
``receive_message``. Identity always comes from ``scope["user"]``, never from the client.
"""

import asyncio
import contextlib
import functools
import json
import logging
import random
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings

from live.services import events_after, group_name, last_seq

REFUSED = 4403
TRY_AGAIN_LATER = 1013  # the live service is unavailable for a moment (Redis down); reconnect later
LAYER_RETRY_SECONDS = 1.0

logger = logging.getLogger(__name__)


class LiveConsumer(AsyncWebsocketConsumer):
    stream: str | None = None
    last_sent_seq: int = 0
    _refresher: asyncio.Task | None = None
    _layer_unavailable = False

    # Channels sets ``channel_receive`` (the channel-layer read) before it starts dispatching; a
    # failing read (Redis down or restarted) would end the consumer and drop the WebSocket. Wrapped,
    # the connection waits for the layer to come back, re-joins its group and catches up from the
    # database ("live.resync"): nothing is lost, nothing sent twice, the client stays connected.
    @property
    def channel_receive(self):
        return self._channel_receive

    @channel_receive.setter
    def channel_receive(self, receive):
        async def resilient_receive():
            try:
                return await receive()
            except Exception:
                logger.warning("Channel layer read failed for %s; waiting for it", self.stream, exc_info=True)
            while True:
                await asyncio.sleep(LAYER_RETRY_SECONDS)
                try:
                    if self.stream:
                        await self.channel_layer.group_add(group_name(self.stream), self.channel_name)
                except Exception:
                    logger.debug("Channel layer still unavailable for %s", self.stream)
                    continue
                return {"type": "live.resync"}

        self._channel_receive = resilient_receive

    async def __call__(self, scope, receive, send):
        """As Channels' consumer, with one long-lived reader per source instead of a new task per message.

        Channels waits on both sources with ``asyncio.wait`` and starts a fresh task for every message
        read: with 200 followers that is 200 tasks and 200 waits per event, the largest cost of a
        fan-out after the socket writes. Here each source (the client, the channel layer) has one
        task that reads and dispatches in a loop; a lock keeps Channels' guarantee that a consumer
        handles one message at a time, in the order each source delivered them.
        """
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.base_send = send
        self._one_at_a_time = asyncio.Lock()
        sources = [receive]
        if self.channel_layer is not None:
            try:  # the pub/sub layer subscribes here: with Redis down, answer "try again later" in connect()
                self.channel_name = await self.channel_layer.new_channel()
            except Exception:
                logger.warning("Live connection refused: no channel from the layer", exc_info=True)
                self._layer_unavailable = True
            else:
                self.channel_receive = functools.partial(self.channel_layer.receive, self.channel_name)
                sources.append(self.channel_receive)

        async def pump(source):
            while True:
                message = await source()
                async with self._one_at_a_time:
                    await self.dispatch(message)

        readers = [asyncio.ensure_future(pump(source)) for source in sources]
        try:
            done, _pending = await asyncio.wait(readers, return_when=asyncio.FIRST_EXCEPTION)
            for reader in done:
                error = reader.exception()
                if error is not None and not isinstance(error, StopConsumer):
                    raise error
        finally:
            for reader in readers:
                reader.cancel()
            for reader in readers:
                with contextlib.suppress(asyncio.CancelledError, StopConsumer):
                    await reader

    async def dispatch(self, message):
        """As Channels' dispatch, without its ``close_old_connections`` hop before every message.

        That hop runs in the one thread that also serves every synchronous view, once per consumer per
        event: 200 followers meant 200 thread hops per comment, queued in front of the next POST. Live
        consumers touch the database only through ``database_sync_to_async``, which closes stale
        connections itself.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def get_stream(self) -> str | None:
        """Return the stream this connection may follow, or None to refuse it."""
        raise NotImplementedError

    async def connect(self):
        self.stream = await self.get_stream()
        if self.stream is None:
            await self.close(code=REFUSED)
            return
        after = self.requested_after()
        try:
            if self._layer_unavailable:
                raise ConnectionError("the channel layer gave no channel")
            await self._join_group()
        except Exception:  # the channel layer (Redis) is unreachable: say "try again later", not a 500
            logger.warning("Live connection to %s refused: channel layer unavailable", self.stream, exc_info=True)
            self.stream = None
            await self.accept()
            await self.close(code=TRY_AGAIN_LATER)
            return
        await self.accept()
        current = await database_sync_to_async(last_seq)(self.stream)
        await self.send_json({"type": "welcome", "stream": self.stream, "last_seq": current})
        if after is None:
            self.last_sent_seq = current
        else:  # a client that claims more than exists (a reset database) starts again from now
            await self.replay(min(after, current))
        await self.on_joined()
        self._refresher = asyncio.get_running_loop().create_task(self._refresh_forever())

    async def _join_group(self, attempts: int = 3):
        """Join the stream's group; a pooled connection that died with a restarted Redis costs one retry."""
        for attempt in range(attempts):
            try:
                await self.channel_layer.group_add(group_name(self.stream), self.channel_name)
                return
            except Exception:
                if attempt == attempts - 1:
                    raise
                await asyncio.sleep(0.2)

    async def _refresh_forever(self):
        """Every LIVE_REFRESH_SECONDS: re-join the group (a restarted Redis forgot it), catch up, refresh.

        The first refresh comes after a random part of the period: connections opened together (a
        page shared in a group chat, everyone back after a Redis restart) would otherwise refresh
        together for ever, a burst of database hops every period in front of the next POST.
        """
        period = settings.LIVE_REFRESH_SECONDS
        delay = random.uniform(0, period)  # noqa: S311 - spreading load, not a secret
        while True:
            await asyncio.sleep(delay)
            delay = period
            try:
                await self.channel_layer.group_add(group_name(self.stream), self.channel_name)
            except Exception:
                logger.debug("Live re-join of %s skipped: channel layer unavailable", self.stream, exc_info=True)
            try:  # in turn with the messages this consumer handles, so the order of what it sends holds
                async with self._one_at_a_time:
                    await self.live_resync({"type": "live.resync"})
            except Exception:
                logger.debug("Live catch-up of %s failed; the next period tries again", self.stream, exc_info=True)
            try:
                await self.on_refresh()
            except Exception:
                logger.exception("Live refresh hook of %s failed", self.stream)

    async def on_refresh(self):
        """Hook, every LIVE_REFRESH_SECONDS while connected (presence entries, for instance)."""

    async def live_resync(self, event):
        """Send what was stored after the last event this connection sent (events lost in the layer)."""
        limit = settings.LIVE_REPLAY_LIMIT
        while True:
            missed = await database_sync_to_async(events_after)(self.stream, self.last_sent_seq, limit)
            for message in missed:
                await self.send_json(message)
                self.last_sent_seq = message["seq"]
            if len(missed) < limit:
                return

    def requested_after(self) -> int | None:
        """The ``after`` query parameter: the last sequence number this client saw, if any."""
        values = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get("after")
        if not values:
            return None
        try:
            after = int(values[0])
        except ValueError:
            return None
        return after if after >= 0 else None

    async def on_joined(self):
        """Hook after a successful subscribe (presence, for instance)."""

    async def disconnect(self, code):
        if self._refresher is not None:
            self._refresher.cancel()
        if self.stream:
            try:
                await self.channel_layer.group_discard(group_name(self.stream), self.channel_name)
            except Exception:  # the membership expires with the layer's group expiry
                logger.warning("Could not leave %s: channel layer unavailable", self.stream, exc_info=True)
            await self.on_left()

    async def on_left(self):
        """Hook after the connection closed."""

    async def receive(self, text_data=None, bytes_data=None):
        if bytes_data is not None or text_data is None:
            await self.send_error("binary_not_supported", "Alleen tekstberichten (JSON).")
            return
        if len(text_data.encode()) > settings.LIVE_MAX_FRAME_BYTES:
            await self.send_error("frame_too_large", f"Bericht groter dan {settings.LIVE_MAX_FRAME_BYTES} bytes.")
            return
        try:
            message = json.loads(text_data)
        except (ValueError, RecursionError):  # deeply nested arrays exhaust the parser's recursion
            await self.send_error("malformed", "Geen geldige JSON.")
            return
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.send_error("malformed", "Een bericht is een JSON-object met een 'type'.")
            return
        kind = message["type"]
        if kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            handled = await self.receive_message(message)
            if not handled:
                await self.send_error("unknown_type", f"Onbekend berichttype: {kind[:40]}")

    async def receive_message(self, message: dict) -> bool:
        """Handle a subclass-specific message; return False if the type is unknown."""
        return False

    async def replay(self, after: int):
        """Send every persisted event after ``after``, in order, then say where replay ended."""
        limit = settings.LIVE_REPLAY_LIMIT
        while True:
            events = await database_sync_to_async(events_after)(self.stream, after, limit)
            for message in events:
                await self.send_json(message)
                after = message["seq"]
            if len(events) < limit:
                break
        self.last_sent_seq = after
        await self.send_json({"type": "replay.done", "last_seq": self.last_sent_seq})

    async def live_event(self, event):
        """Relay a published event; fill any gap from the database; never send one twice."""
        message = event["message"]
        seq = message.get("seq")
        if seq is None:
            if event.get("text") is not None:
                await self.send(text_data=event["text"])
            else:
                await self.send_json(message)
            return
        if seq <= self.last_sent_seq:
            return
        if seq > self.last_sent_seq + 1:
            gap = seq - self.last_sent_seq
            missed = await database_sync_to_async(events_after)(self.stream, self.last_sent_seq, gap)
            for earlier in missed:
                if earlier["seq"] < seq:
                    await self.send_json(earlier)
        text = event.get("text")  # serialised once by the publisher
        if text is not None:
            await self.send(text_data=text)
        else:
            await self.send_json(message)
        self.last_sent_seq = seq

    async def send_json(self, content):
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

    async def send_error(self, code: str, text: str):
        await self.send_json({"type": "error", "code": code, "message": text})


class HealthConsumer(LiveConsumer):
    """Open to everyone: proves the live path end to end (echo, and events published to "health")."""

    async def get_stream(self):
        return "health"

    async def receive_message(self, message):
        if message["type"] != "echo":
            return False
        text = message.get("text", "")
        if not isinstance(text, str):
            await self.send_error("invalid", "'text' is tekst.")
            return True
        await self.send_json({"type": "echo", "text": text})
        return True
