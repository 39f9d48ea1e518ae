"""People and places (``people``) and what they hear of (``notifications``)."""

from community.models.notifications import Delivery, Notification, NotificationPreference, NotificationQuerySet
from community.models.people import (
    ERASED_EMAIL_SUFFIX,
    AddressAs,
    CallbackRequest,
    CallbackRequestQuerySet,
    CouncilMembership,
    HelpTopic,
    Kern,
    SamenlabUserManager,
    ServicePromise,
    StaffProfile,
    StaffProfileQuerySet,
    User,
    register_kern_url_resolver,
)

__all__ = [
    "ERASED_EMAIL_SUFFIX", "AddressAs", "CallbackRequest", "CallbackRequestQuerySet", "CouncilMembership",
    "Delivery", "HelpTopic", "Kern", "Notification", "NotificationPreference", "NotificationQuerySet",
    "SamenlabUserManager", "ServicePromise", "StaffProfile", "StaffProfileQuerySet", "User",
    "register_kern_url_resolver",
]
