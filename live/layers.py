"""The in-memory channel layer of a single-process site (``make run``, tests), made fit for fan-out.

Channels' ``InMemoryChannelLayer`` walks every channel and every group membership to drop expired
messages on *every* ``receive`` and ``group_send``, and deep-copies a group message once per member in a
task of its own. With 200 followers of a thread one comment cost 200 full walks of 200 channels plus
200 deep copies and 200 tasks, in the event loop that also answers the next POST: the slowest
followers waited hundreds of milliseconds. Here expired messages are swept at most once per
``SWEEP_SECONDS`` (a message may live that much past its expiry, which nothing relies on), and a group
message is copied once and handed to each member as a shallow copy of that one copy: the envelope is
each receiver's own, the payload inside it is shared and treated as read-only (the Redis layer gives
every receiver its own decoded copy, so no consumer may rely on writing into it anyway).
"""

import asyncio
import time
from copy import deepcopy

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    SWEEP_SECONDS = 1.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._next_sweep = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.SWEEP_SECONDS
        super()._clean_expired()

    async def receive(self, channel):
        """As Channels' receive, without building a queue on every call (only when the channel has none)."""
        self.require_valid_channel_name(channel)
        self._clean_expired()
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        try:
            _expires, message = await queue.get()
        finally:
            if queue.empty() and self.channels.get(channel) is queue:
                del self.channels[channel]
        return message

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        members = list(self.groups.get(group, {}))
        if not members:
            return
        shared = deepcopy(message)  # the sender may change its dict afterwards; receivers never see that
        expires = time.time() + self.expiry
        for channel in members:
            queue = self.channels.get(channel)
            if queue is None:
                queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
            try:
                queue.put_nowait((expires, dict(shared)))
            except asyncio.QueueFull:
                continue  # as Channels' layer: a full channel misses the message (replay recovers it)
