"""/stemmen/: every vote in one place — what is open now, what comes, and what was decided."""

from django.db.models import Q
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from core.pagecache import anonymous_cache
from voting.models import BallotBox, Poll

LIMIT = 30


def _entries(boxes):
    """(box, subject, url) for each box that belongs to a poll or a budget."""
    entries = []
    for box in boxes:
        poll = box.poll if hasattr(box, "poll") else None  # hasattr: a missing one-to-one raises
        budget = box.budget if hasattr(box, "budget") else None
        subject = poll or budget
        if subject is not None:
            entries.append({"box": box, "subject": subject, "is_budget": budget is not None,
                            "url": subject.get_absolute_url()})
    return entries


@anonymous_cache()
def overview(request):
    now = timezone.now()
    boxes = (BallotBox.objects.select_related("kern", "poll", "budget")
             .filter(Q(budget__isnull=False) | Q(poll__in=Poll.objects.visible_to(request.user))))
    open_now = _entries(boxes.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")[:LIMIT])
    coming = _entries(boxes.filter(opens_at__gt=now).order_by("opens_at")[:LIMIT])
    closed = _entries(boxes.filter(closes_at__lte=now).order_by("-closes_at")[:LIMIT])
    return render(request, "voting/overview.html", {
        "open_now": open_now, "coming": coming, "closed": closed,
        "uses_letters": any(entry["box"].uses_letters for entry in open_now)})


urlpatterns = [path("stemmen/", overview, name="index")]
