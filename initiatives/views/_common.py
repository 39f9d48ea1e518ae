from django.core.exceptions import PermissionDenied
from django.http import Http404

from initiatives import selectors
from initiatives.models import Initiative


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def visible_or_404(user, pk: int) -> Initiative:
    """What the viewer may not see answers exactly like what does not exist."""
    try:
        return selectors.visible_initiative(user=user, pk=pk)
    except Initiative.DoesNotExist:
        raise Http404 from None


def error_messages(error) -> list[str]:
    return list(getattr(error, "messages", None) or [str(error)])
