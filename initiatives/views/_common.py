from django.http import Http404

from core.errors import error_messages  # noqa: F401  (views of this app take it from here)
from core.permissions import may  # noqa: F401  (views ask rules through here)
from core.permissions import require as _require
from initiatives import selectors
from initiatives.models import Initiative


def require(user, perm: str, obj=None, message: str | None = None) -> None:
    _require(user, perm, obj, message)


def visible_or_404(user, pk: int, *, read=None) -> Initiative:
    """What the viewer may not see answers exactly like what does not exist (``read``: the selector, by
    default ``selectors.visible_initiative``)."""
    try:
        return (read or selectors.visible_initiative)(user=user, pk=pk)
    except Initiative.DoesNotExist:
        raise Http404 from None
