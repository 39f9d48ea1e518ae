"""The team: join with an invitation link, leave, or (the main initiator) take someone off."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from initiatives import services
from initiatives.views._common import error_messages, may, visible_or_404


@login_required
def join(request, token: str):
    """GET: what the invitation is for; POST: join the team."""
    try:
        initiative = services.initiative_of_invitation(token)
    except ValidationError as error:
        return render(request, "initiatives/join.html", {"errors": error_messages(error)}, status=400)
    if request.user.pk in initiative.initiator_ids():
        messages.info(request, _("U zit al in het team van dit initiatief."))
        return redirect(initiative.get_absolute_url())
    if request.method == "POST":
        try:
            services.join_as_co_initiator(user=request.user, token=token)
        except (ValidationError, PermissionDenied) as error:
            return render(request, "initiatives/join.html", {"initiative": initiative,
                                                            "errors": error_messages(error)}, status=400)
        messages.success(request, _("U bent nu mede-initiatiefnemer. Welkom in het team!"))
        return redirect(initiative.get_absolute_url())
    return render(request, "initiatives/join.html", {"initiative": initiative, "token": token})


@login_required
@require_POST
def remove_team_member(request, pk: int, user_pk: int):
    initiative = visible_or_404(request.user, pk)
    member = get_object_or_404(get_user_model(), pk=user_pk)
    try:
        services.remove_co_initiator(actor=request.user, initiative=initiative, user=member)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(error_messages(error)))
    else:
        if member.pk == request.user.pk:
            messages.success(request, _("U bent geen initiatiefnemer meer van dit initiatief."))
        else:
            messages.success(request, _("%(name)s is van het team gehaald.") % {"name": member.display_name})
    if member.pk == request.user.pk and not may(request.user, "initiatives.view_initiative", initiative):
        return redirect("initiatives:mine")  # a draft one just left is no longer theirs to see
    return redirect(initiative.get_absolute_url() + "#team")
