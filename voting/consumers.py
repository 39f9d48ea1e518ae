"""The live side of a ballot box (``voting.<box id>``): a poll's or budget's page hears when it changes, is removed,
or gets a published result.

Writes go over HTTP; the services publish after commit. The socket authorises with the rule ``voting.follow_box``
(whoever may see the poll or budget), relays the stream and takes no messages of its own. Nothing is published per
ballot and no event carries a count (``voting.services._common.stream_of``): what is on the stream is fit for every
follower, so nothing is filtered here, and a result that may not be seen yet cannot travel this way.
"""

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from core.permissions import may
from live.consumers import LiveConsumer
from voting.models import BallotBox
from voting.services._common import stream_of


class BallotBoxConsumer(LiveConsumer):
    async def get_stream(self):
        box_id = self.scope["url_route"]["kwargs"]["box_id"]
        if not await database_sync_to_async(self._may_follow)(box_id):
            return None
        return stream_of(box_id)

    def _may_follow(self, box_id: int) -> bool:
        box = (BallotBox.objects.select_related("poll__initiative", "budget").filter(pk=box_id).first())
        if box is None or box.subject is None:
            return False
        subject = box.subject
        return may(self.scope.get("user") or AnonymousUser(), "voting.follow_box", subject)
