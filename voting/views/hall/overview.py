"""The village hall's page of one box: what staff can do here (codes, the counter, paper ballots, the register)
and the numbers at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from voting.selectors.hall import register_numbers
from voting.views.hall._common import STAFF_ONLY, box_or_404, can, subject_url


@login_required
def hall(request, box: int):
    box = box_or_404(box)
    doors = can(request.user, box)
    if not any(doors.values()):
        raise PermissionDenied(str(STAFF_ONLY))
    return render(request, "voting/hall/hall.html", {
        "box": box, "can": doors, "subject_url": subject_url(box),
        "numbers": register_numbers(box) if doors["view_register"] else None})
