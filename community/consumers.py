"""The live unread count of the signed-in person (the badge in the header)."""

from community.notifications.services import unread_stream
from live.consumers import LiveConsumer


class UnreadCountConsumer(LiveConsumer):
    """Only the person themselves: the stream comes from the session, never from the client."""

    async def get_stream(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return unread_stream(user.pk)
