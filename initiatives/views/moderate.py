"""The village council's queue: that kern's council only (staff: every kern), never their own initiative."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.models import Kern
from initiatives import selectors, services
from initiatives.forms import DecisionForm
from initiatives.models import Initiative
from initiatives.views._common import error_messages, require


@login_required
def moderation_queue(request):
    require(request.user, "initiatives.view_moderation_queue")
    kern = None
    if request.GET.get("kern"):
        kern = get_object_or_404(Kern, slug=request.GET["kern"])
        require(request.user, "community.moderate_kern", kern)
    queue = list(selectors.moderation_queue(user=request.user, kern=kern))
    thresholds = selectors.thresholds_for(user=request.user)
    return render(request, "initiatives/moderation_queue.html", {
        "kern": kern, "items": [(item, DecisionForm(prefix_pk=item.pk)) for item in queue],
        # Where the council also sets its threshold for the agenda (staff: every kern).
        "thresholds": [(place, selectors.threshold_of(place))
                       for place in (thresholds.filter(pk=kern.pk) if kern else thresholds)],
    })


@login_required
@require_POST
def decide(request, pk: int):
    initiative = get_object_or_404(Initiative.objects.select_related("kern"), pk=pk)
    require(request.user, "initiatives.moderate_initiative", initiative)
    form = DecisionForm(request.POST, prefix_pk=pk)
    if form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == "approve":
                services.approve_initiative(actor=request.user, initiative=initiative, reason=reason)
                messages.success(request, _("%(title)s is goedgekeurd en gepubliceerd.") % {"title": initiative.title})
            elif decision == "request_changes":
                services.request_changes(actor=request.user, initiative=initiative, comment=reason)
                messages.success(request, _("De initiatiefnemer is om een aanpassing gevraagd."))
            else:
                services.decline_initiative(actor=request.user, initiative=initiative, reason=reason)
                messages.success(request, _("%(title)s is afgewezen.") % {"title": initiative.title})
        except ValidationError as error:
            form.add_error(None, error_messages(error))
        else:
            return redirect("initiatives:moderation_queue")
    return render(request, "initiatives/decide.html", {"initiative": initiative, "form": form}, status=400)
