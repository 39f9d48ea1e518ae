"""What the public pages of voting share: finding a vote that is over, as the rule ``voting.download_ballots``
allows."""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers

from core.permissions import visible_or_404
from voting.models import Budget, Poll


def finished_budget(request, slug: str) -> Budget:
    """The budget whose result is published (``voting.download_ballots`` says so only then), else 404."""
    return visible_or_404(request.user, "voting.download_ballots",
                          Budget.objects.select_related("box__kern", "box__poll"), slug=slug)


def finished_poll(request, pk: int) -> Poll:
    """The poll whose box is closed (``voting.download_ballots``), else 404."""
    return visible_or_404(request.user, "voting.download_ballots",
                          Poll.objects.select_related("box__kern", "box__budget"), pk=pk)


def url_or_none(name: str, *args) -> str | None:
    """The address of another page of voting, or None while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def never_kept(view):
    """Like ``never_cache``, and for the 404 before publication too: no browser or proxy keeps "not there yet"
    (nor a download) to show it again after the result is published."""
    from core.views.errors import page_not_found

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = page_not_found(request)
        add_never_cache_headers(response)
        return response

    return wrapped
