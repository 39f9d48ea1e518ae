"""Setting a poll up: staff anywhere, a kern's council in its own kern. Changing it until it opens; removing it
while nobody voted. Each page asks the rule and calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community.models import Kern
from community.rules import council_kern_ids, is_staff
from core.errors import error_text
from core.permissions import Refused, may
from voting.forms.polls import PollForm, initial_of
from voting.models import BallotBox, Poll
from voting.services import polls as services

PLACES_LISTED = 300


def kernen_for(user) -> list:
    """Where ``user`` may make a poll (``None``: the whole municipality), as the rule ``voting.create_poll`` says."""
    candidates = [None, *Kern.objects.order_by("name")] if is_staff(user) else \
        list(Kern.objects.filter(pk__in=council_kern_ids(user)).order_by("name"))
    return [kern for kern in candidates if may(user, "voting.create_poll", BallotBox(kern=kern))]


def _places(user, kernen) -> tuple[list, list]:
    """The initiatives (of those kernen, that ``user`` may see) and the content pages a poll may belong to."""
    from cms.models import ContentPage
    from initiatives.models import Initiative

    kern_ids = [kern.pk for kern in kernen if kern is not None]
    initiatives = list(Initiative.objects.visible_to(user).filter(kern_id__in=kern_ids).select_related("kern")
                       .order_by("-created_at", "-pk")[:PLACES_LISTED])
    pages = list(ContentPage.objects.live().order_by("title").only("pk", "title")[:PLACES_LISTED])
    return initiatives, pages


def _form(request, kernen, *, initial: dict, poll=None):
    initiatives, pages = _places(request.user, kernen)
    if poll is not None:  # what the poll belongs to now stays a choice, however long the lists
        if poll.initiative is not None and poll.initiative not in initiatives:
            initiatives.append(poll.initiative)
        if poll.page is not None and poll.page.pk not in {page.pk for page in pages}:
            pages.append(poll.page)
    return PollForm(request.POST if request.method == "POST" else None, kernen=kernen, initiatives=initiatives,
                    pages=pages, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def poll_new(request):
    kernen = kernen_for(request.user)
    if not kernen:
        raise Refused(str(services.CREATORS_ONLY), back_url=reverse("voting:polls"), back_label=_("Naar de peilingen"))
    slugs = [kern.slug if kern is not None else "" for kern in kernen]
    wanted = request.GET.get("kern", "")
    initial = {"kern": wanted if wanted in slugs else slugs[0]}
    chosen = request.GET.get("initiatief", "")
    if chosen.isdigit():
        initial["initiative"] = int(chosen)
    form = _form(request, kernen, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.create_poll(actor=request.user, **form.service_values())
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("De peiling is klaar. U kunt hem veranderen tot hij opengaat."))
            return redirect("voting:poll", pk=poll.pk)
    return render(request, "voting/polls/form.html", {"form": form, "poll": None},
                  status=400 if form.errors else 200)


def _poll_or_404(pk: int) -> Poll:
    poll = (Poll.objects.select_related("box__kern", "initiative__kern", "page").prefetch_related("options")
            .filter(pk=pk).first())
    if poll is None:
        raise Http404
    return poll


@login_required
@require_http_methods(["GET", "POST"])
def poll_edit(request, pk: int):
    poll = _poll_or_404(pk)
    if not may(request.user, "voting.change_poll", poll):
        message = services.CHANGE_REFUSED if poll.box.has_started() else services.CHANGERS_ONLY
        raise Refused(str(message), back_url=poll.get_absolute_url(), back_label=_("Terug naar de peiling"))
    kernen = kernen_for(request.user)
    if poll.box.kern not in kernen:
        kernen.insert(0, poll.box.kern)  # a council member keeps their poll's kern even when it is the only one
    form = _form(request, kernen, initial=initial_of(poll), poll=poll)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_poll(actor=request.user, poll=poll, **form.service_values())
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("De peiling is veranderd."))
            return redirect("voting:poll", pk=poll.pk)
    return render(request, "voting/polls/form.html", {
        "form": form, "poll": poll, "may_remove": may(request.user, "voting.remove_poll", poll)},
        status=400 if form.errors else 200)


@login_required
@require_POST
def poll_remove(request, pk: int):
    poll = _poll_or_404(pk)
    kern = poll.box.kern
    try:
        services.remove_poll(actor=request.user, poll=poll)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("voting:poll", pk=pk)
    messages.success(request, _("De peiling is weggehaald."))
    target = reverse("voting:polls")
    return redirect(f"{target}?kern={kern.slug}" if kern is not None else target)
