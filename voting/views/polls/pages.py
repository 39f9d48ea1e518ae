"""The poll list (open and closed polls, never a count) and one poll's page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from community.models import Kern
from core.pagecache import anonymous_cache
from core.permissions import may
from live.services import last_seq
from voting.models import BallotBox
from voting.selectors.polls import closed_polls, current_polls, poll_data
from voting.services._common import stream_of
from voting.views.polls._common import code_page_url, viewer_cards

CLOSED_PAGE_SIZE = 20


# Anonymous visitors get these from the page cache: services empty it, and so does every opening and closing
# (voting.clock), so a kept page never shows a ballot form after the close or hides a result that may be seen.
@anonymous_cache(query_parameters={"kern", "pagina"})
def poll_list(request):
    kern = None
    if request.GET.get("kern"):
        kern = get_object_or_404(Kern, slug=request.GET["kern"])
    current = current_polls(kern=kern, user=request.user)
    closed = Paginator(closed_polls(kern=kern, user=request.user), CLOSED_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "voting/polls/list.html", {
        "kern": kern, "current": current, "closed": closed, "now": timezone.now(),
        "kernen": Kern.objects.order_by("name").only("name", "slug"),
        "may_create": may(request.user, "voting.create_poll", BallotBox(kern=kern)) if kern is not None
        else may(request.user, "voting.create_poll", BallotBox()),
    })


@anonymous_cache()
def poll_detail(request, pk: int):
    data = poll_data(pk)
    cards = viewer_cards(request, [data], public_votes=True) if data is not None else []
    if not cards:
        raise Http404
    card = cards[0]
    stream = stream_of(data.box_id)
    return render(request, "voting/polls/detail.html", {
        "card": card, "data": data, "ws_path": f"/ws/stemming/{data.box_id}/", "last_seq": last_seq(stream),
        "code_url": code_page_url(),
    })
