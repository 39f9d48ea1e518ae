"""Follow, support, pledge, cancel, post updates: POST only, each calls one service and goes back to the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.formats import money
from core.permissions import require
from initiatives import services
from initiatives.forms import PledgeForm, UpdateForm
from initiatives.models import InitiativePhoto, Pledge, Status
from initiatives.views._common import error_messages, visible_or_404


def _back(initiative, anchor: str = ""):
    return redirect(initiative.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _run(request, initiative, action, success: str, anchor: str = ""):
    try:
        action()
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(error_messages(error)) or _("Dat mag niet."))
    else:
        messages.success(request, success)
    return _back(initiative, anchor)


def _engagement_view(service, success):
    """A POST-only view that lets the signed-in user ``service`` (follow, support, ...) an initiative."""
    @login_required
    @require_POST
    def view(request, pk: int):
        initiative = visible_or_404(request.user, pk)
        return _run(request, initiative, lambda: service(user=request.user, initiative=initiative), success,
                    "meedoen")

    view.__name__ = view.__qualname__ = service.__name__
    return view


follow = _engagement_view(services.follow, gettext_lazy("U volgt dit initiatief. U krijgt bericht bij nieuws."))
unfollow = _engagement_view(services.unfollow, gettext_lazy("U volgt dit initiatief niet meer."))
support = _engagement_view(services.support, gettext_lazy("Bedankt voor uw steun!"))
unsupport = _engagement_view(services.unsupport, gettext_lazy("Uw steun is ingetrokken."))


def _thanks(result) -> str:
    if result.matched:
        return _("Bedankt! Uw toezegging is genoteerd. De gemeente legt er %(matched)s bij.") % {
            "matched": money(result.matched)}
    if result.goal_met:
        return _("Bedankt! Uw toezegging is genoteerd. Het doel is al bereikt, dus de gemeente legt hier niets "
                 "meer bij.")
    return _("Bedankt! Uw toezegging is genoteerd.")


@login_required
def make_pledge(request, pk: int):
    initiative = visible_or_404(request.user, pk)
    require(request.user, "initiatives.add_pledge", initiative)
    money_allowed = initiative.status == Status.FUNDING
    form = PledgeForm(request.POST or None, money_allowed=money_allowed)
    repeat_question = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.pledge(
                pledger=request.user, initiative=initiative, kind=data["kind"],
                idempotency_key=data["idempotency_key"], amount=data.get("amount") if data["kind"] == "money" else None,
                hours=data.get("hours") if data["kind"] == "time" else None,
                materials=data.get("materials") if data["kind"] == "materials" else "", message=data.get("message", ""),
                confirm_repeat=data.get("confirm_repeat", False),
            )
        except services.PossibleDuplicate as error:
            # Same form, same key, now with the confirmation: "Ja, nog een keer" makes the second pledge.
            repeat_question = " ".join(error_messages(error))
            form = PledgeForm({**request.POST.dict(), "confirm_repeat": "on"}, money_allowed=money_allowed)
            form.is_valid()
        except (ValidationError, PermissionDenied) as error:
            field = "amount" if getattr(error, "code", None) == "amount" and "amount" in form.fields else None
            form.add_error(field, error_messages(error))
        else:
            if result.created:
                messages.success(request, _thanks(result))
            else:
                messages.info(request, _("Deze toezegging had u al gedaan; er is niets dubbel geteld."))
            return _back(initiative, "geld")
    return render(request, "initiatives/pledge.html",
                  {"initiative": initiative, "form": form, "repeat_question": repeat_question},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def cancel_pledge(request, pledge_pk: int):
    pledge = get_object_or_404(Pledge.objects.select_related("initiative"), pk=pledge_pk, pledger=request.user)
    return _run(request, pledge.initiative, lambda: services.cancel_pledge(actor=request.user, pledge=pledge),
                _("Uw toezegging is ingetrokken."), "geld")


@login_required
def post_update(request, pk: int):
    initiative = visible_or_404(request.user, pk)
    require(request.user, "initiatives.post_update", initiative)
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(actor=request.user, initiative=initiative, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_messages(error))
        else:
            messages.success(request, _("Uw nieuws is geplaatst; volgers krijgen bericht."))
            return _back(initiative, "nieuws")
    return render(request, "initiatives/update_form.html", {"initiative": initiative, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def request_reconsideration(request, pk: int):
    initiative = visible_or_404(request.user, pk)
    reason = request.POST.get("reason", "")
    return _run(request, initiative,
                lambda: services.request_reconsideration(actor=request.user, initiative=initiative, reason=reason),
                _("De dorpsraad kijkt nog een keer naar uw initiatief."))


@login_required
@require_POST
def remove_photo(request, photo_pk: int):
    photo = get_object_or_404(InitiativePhoto, pk=photo_pk)
    initiative = visible_or_404(request.user, photo.initiative_id)  # someone else's draft: as if it were not there
    services.remove_photo(actor=request.user, photo=photo)  # PermissionDenied (403) when not an initiator
    messages.success(request, _("De foto is weggehaald."))
    return redirect("initiatives:edit_step", pk=initiative.pk, step="fotos")
