"""The live side of a thread: authorise with the same rule as the page, subscribe, relay, count viewers.

Writes go over HTTP (views and the API call the services); the socket only relays what services
published. Message types are documented in docs/realtime.md.
"""

import asyncio
import logging

from channels.db import database_sync_to_async

from core.permissions import may
from discussion.models import Thread
from discussion.services import PRESENCE_DELAY, announce_presence, join_presence, leave_presence, refresh_presence
from live.consumers import LiveConsumer

logger = logging.getLogger(__name__)


class ThreadConsumer(LiveConsumer):
    thread_id: int | None = None

    async def get_stream(self):
        thread_id = self.scope["url_route"]["kwargs"]["thread_id"]
        allowed = await database_sync_to_async(self._may_read)(thread_id)
        if not allowed:
            return None
        self.thread_id = thread_id
        return f"thread.{thread_id}"

    def _may_read(self, thread_id: int) -> bool:
        thread = Thread.objects.select_related("content_type").filter(pk=thread_id).first()
        user = self.scope.get("user")
        return thread is not None and user is not None and may(user, "discussion.view_thread", thread)

    async def on_joined(self):
        await self._presence(join_presence)

    async def on_left(self):
        await self._presence(leave_presence)

    async def on_refresh(self):
        await self._presence(refresh_presence)

    async def _presence(self, change):
        """A presence count is a nicety: if it cannot be kept, the connection carries on without it."""
        try:
            if await database_sync_to_async(change)(thread_id=self.thread_id, member=self.channel_name):
                asyncio.get_running_loop().create_task(self._announce_later(self.thread_id))
        except Exception:
            logger.exception("Presence count of thread %s failed", self.thread_id)

    @staticmethod
    async def _announce_later(thread_id: int):
        await asyncio.sleep(PRESENCE_DELAY)
        try:
            await database_sync_to_async(announce_presence)(thread_id=thread_id)
        except Exception:
            logger.exception("Presence announcement of thread %s failed", thread_id)
