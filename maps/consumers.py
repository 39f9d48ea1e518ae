"""The live side of a walk: everyone who walks along (and the office) sees every observation within a second.

Writes go over HTTP (the API calls the services, which publish after commit with sequence numbers); the
socket authorises with the rule ``maps.follow_walk_live``, relays, and takes one message of its own: an
organiser's phone may share where the group is (``position``), which is relayed, not stored.
"""

from channels.db import database_sync_to_async
from django.utils import timezone

from core.permissions import may
from live.consumers import LiveConsumer
from live.services import publish
from maps import geo
from maps.models import Walk


class WalkConsumer(LiveConsumer):
    walk_id: int | None = None
    may_share_position = False

    async def get_stream(self):
        walk_id = self.scope["url_route"]["kwargs"]["walk_id"]
        allowed, sharing = await database_sync_to_async(self._rights)(walk_id)
        if not allowed:
            return None
        self.walk_id, self.may_share_position = walk_id, sharing
        return f"walk.{walk_id}"

    def _rights(self, walk_id: int) -> tuple[bool, bool]:
        walk = Walk.objects.select_related("kern").filter(pk=walk_id).first()
        user = self.scope.get("user")
        if walk is None or user is None:
            return False, False
        return may(user, "maps.follow_walk_live", walk), may(user, "maps.share_group_position", walk)

    async def receive_message(self, message: dict) -> bool:
        if message["type"] != "position":
            return False
        if not self.may_share_position:
            await self.send_error("refused", "Alleen de organisatoren delen waar de groep is.")
            return True
        lat, lng = message.get("lat"), message.get("lng")
        if not geo.point_in_municipality(lat, lng):
            await self.send_error("invalid", str(geo.OUTSIDE_MUNICIPALITY))
            return True
        await database_sync_to_async(publish)(
            stream=self.stream, type="group.position", persist=False,
            data={"lat": round(float(lat), 6), "lng": round(float(lng), 6), "at": timezone.now().isoformat()})
        return True
