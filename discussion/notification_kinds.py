"""What discussions tell: registered from ``DiscussionConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from community.models import Delivery
from community.notifications.kinds import Audience, Kind, register

MENTION = "discussion.mention"
REPLY = "discussion.reply"
COMMENT_ON_MINE = "discussion.comment_on_mine"
COMMENT_HIDDEN = "discussion.comment_hidden"
COMMENT_RESTORED = "discussion.comment_restored"
FLAGGED = "discussion.flagged"


def register_kinds() -> None:
    register(Kind(MENTION, _("%(name)s noemde u in een gesprek"), _("Iemand noemt uw naam in een gesprek"),
                  Audience.EVERYONE, Delivery.AT_ONCE))
    register(Kind(REPLY, _("%(name)s reageerde op uw bericht"), _("Iemand reageert op uw bericht"),
                  Audience.EVERYONE, Delivery.DAILY))
    register(Kind(COMMENT_HIDDEN, _("Uw reactie is verborgen"), _("De dorpsraad verbergt een reactie van u"),
                  Audience.EVERYONE, Delivery.AT_ONCE))
    register(Kind(COMMENT_RESTORED, _("Uw reactie is weer zichtbaar"),
                  _("De dorpsraad maakt een reactie van u weer zichtbaar"), Audience.EVERYONE, Delivery.AT_ONCE))
    register(Kind(COMMENT_ON_MINE, _("%(name)s reageerde bij %(title)s"),
                  _("Iemand reageert bij uw initiatief"), Audience.INITIATOR, Delivery.AT_ONCE))
    register(Kind(FLAGGED, _("Een reactie is gemeld bij %(title)s"),
                  _("Iemand meldt een reactie in uw kern"), Audience.COUNCIL, Delivery.AT_ONCE))
