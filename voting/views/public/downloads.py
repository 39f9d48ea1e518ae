"""The downloads of a vote that is over: a budget's Pabulib file and the anonymised ballots (budgets and polls).

Before the result may be seen they answer 404 for everyone, staff and admins included, and no answer is kept
by a cache (``never_kept``): the first download after publication is always the published one.
"""

from __future__ import annotations

from django.http import HttpResponse

from voting import exports
from voting.views.public._common import finished_budget, finished_poll, never_kept


def _attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_kept
def budget_pabulib(request, slug: str):
    budget = finished_budget(request, slug)
    return _attachment(exports.pabulib_file(budget).encode("utf-8"), exports.PABULIB_TYPE,
                       exports.pabulib_filename(budget))


@never_kept
def budget_ballots(request, slug: str):
    box = finished_budget(request, slug).box
    return _attachment(exports.ballots_csv(box), exports.CSV_TYPE, exports.ballots_filename(box))


@never_kept
def poll_ballots(request, pk: int):
    box = finished_poll(request, pk).box
    return _attachment(exports.ballots_csv(box), exports.CSV_TYPE, exports.ballots_filename(box))
