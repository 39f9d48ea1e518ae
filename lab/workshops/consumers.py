"""The live side of a workshop's board: every card, curve and control reaches every phone within a second.

Writes go over HTTP (the API and the pages call the services, which publish after commit with sequence
numbers). The socket authorises with the rule ``lab.view_board``, asked with the seat of the signed-in person
or of the device cookie, relays the one stream ``workshop.<id>`` and takes no messages of its own: everything
on that stream is fit for every participant (decision 28), so nothing is filtered here.
"""

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from core.permissions import may
from lab.models import Workshop
from lab.workshops.seats import DEVICE_COOKIE, At, seat_for
from lab.workshops.services import stream_of
from live.consumers import LiveConsumer


class WorkshopConsumer(LiveConsumer):
    async def get_stream(self):
        workshop_id = self.scope["url_route"]["kwargs"]["workshop_id"]
        if not await database_sync_to_async(self._may_follow)(workshop_id):
            return None
        return stream_of(workshop_id)

    def _may_follow(self, workshop_id: int) -> bool:
        workshop = Workshop.objects.filter(pk=workshop_id).first()
        if workshop is None:
            return False
        user = self.scope.get("user") or AnonymousUser()
        token = self.scope.get("cookies", {}).get(DEVICE_COOKIE, "")
        seat = seat_for(user=user, workshop=workshop, device_token=token)
        return may(user, "lab.view_board", At(seat, workshop))
