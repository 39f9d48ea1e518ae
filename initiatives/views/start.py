"""The multi-step "Start een initiatief": every step saves the draft on the server (create_draft/update_draft);
the browser also keeps the step being typed in localStorage (static/js/initiative-form.js)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from community.models import Kern
from core.permissions import Refused, may, require
from initiatives import services
from initiatives.forms import IdeaForm, NeedsForm, PhotoForm, PlaceForm, StoryForm
from initiatives.models import Initiative, InitiativePhoto, Status
from initiatives.views._common import error_messages

STEPS = [
    ("idee", gettext_lazy("Uw idee"), IdeaForm),
    ("verhaal", gettext_lazy("Verhaal"), StoryForm),
    ("plek", gettext_lazy("Plek"), PlaceForm),
    ("nodig", gettext_lazy("Wat is nodig"), NeedsForm),
    ("fotos", gettext_lazy("Foto's"), PhotoForm),
    ("indienen", gettext_lazy("Controleren en indienen"), None),
]
STEP_KEYS = [key for key, _label, _form in STEPS]
FIELD_OF_CODE = {"title": "title", "summary": "summary", "theme": "theme", "kern": "kern", "location": "latitude",
                 "outside_municipality": "latitude", "invalid_coordinates": "latitude", "goal": "goal",
                 "deadline": "deadline", "needs_volunteers": "needs_volunteers", "alt_text": "alt_text"}


def _add_service_error(form, error: ValidationError) -> None:
    field = FIELD_OF_CODE.get(getattr(error, "code", None))
    form.add_error(field if field in form.fields else None, error_messages(error))


def _initial(initiative: Initiative, step: str) -> dict:
    fields = {
        "idee": ["title", "summary", "theme", "kern"],
        "verhaal": ["story"],
        "plek": ["location_label", "latitude", "longitude"],
        "nodig": ["goal", "deadline", "needs_volunteers", "needs_materials"],
    }.get(step, [])
    return {name: getattr(initiative, name) for name in fields}


def _kern_centres() -> dict:
    return {str(k.pk): [float(k.latitude), float(k.longitude)] for k in Kern.objects.only("latitude", "longitude")}


def _render(request, step: str, form, initiative=None, status=200, repeat_question: str = ""):
    index = STEP_KEYS.index(step)
    context = {
        "steps": [(key, label) for key, label, _form in STEPS],
        "step": step, "step_label": STEPS[index][1], "step_number": index + 1, "step_count": len(STEPS),
        "previous_step": STEP_KEYS[index - 1] if index else None,
        "form": form, "initiative": initiative,
        "storage_key": f"samenlab:initiative:{initiative.pk if initiative else 'new'}:{step}",
        "repeat_question": repeat_question,
    }
    if step == "plek":
        context["kern_centres"] = _kern_centres()
        context["kern_id"] = initiative.kern_id if initiative else request.user.kern_id
    if step == "fotos" and initiative is not None:
        context["photos"] = list(initiative.photos.filter(kind=InitiativePhoto.Kind.MAIN))
    if step == "indienen" and initiative is not None:
        context["can_submit"] = may(request.user, "initiatives.submit_initiative", initiative)
    if initiative is not None:
        context["can_delete"] = may(request.user, "initiatives.delete_initiative", initiative)
    return render(request, "initiatives/start.html", context, status=status)


@login_required
def start(request):
    """Step 1 without a draft yet: asks only what the profile does not know (the kern is the resident's own)."""
    if request.user.kern_id is None:
        messages.info(request, _("Kies eerst uw kern; daarna kunt u een initiatief starten."))
        return redirect("community:choose_kern")
    require(request.user, "initiatives.create_initiative")
    form = IdeaForm(request.POST or None, initial={"kern": request.user.kern_id})
    repeat_question = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            initiative = services.create_draft(initiator=request.user, title=data["title"], summary=data["summary"],
                                               theme=data["theme"], kern=data["kern"],
                                               client_key=data.get("client_key", ""),
                                               confirm_repeat=data.get("confirm_repeat", False))
        except services.PossibleDuplicate as error:
            repeat_question = " ".join(error_messages(error))
            form = IdeaForm({**request.POST.dict(), "confirm_repeat": "on"})
            form.is_valid()
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Uw concept is opgeslagen. U kunt altijd later verder."))
            return redirect("initiatives:edit_step", pk=initiative.pk, step="verhaal")
    return _render(request, "idee", form, status=400 if form.errors else 200, repeat_question=repeat_question)


@login_required
@require_http_methods(["GET", "POST"])
def delete_draft(request, pk: int):
    """Throw a draft away: a confirmation page first (GET), then the POST that deletes."""
    initiative = get_object_or_404(Initiative, pk=pk)
    if not may(request.user, "initiatives.view_initiative", initiative):
        raise Http404
    require(request.user, "initiatives.delete_initiative", initiative)
    if request.method == "POST":
        try:
            services.delete_draft(actor=request.user, initiative=initiative)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(error_messages(error)))
            return redirect(initiative.get_absolute_url())
        messages.success(request, _("Uw concept “%(title)s” is weggegooid.") % {"title": initiative.title})
        return redirect("initiatives:mine")
    return render(request, "initiatives/delete_draft.html", {"initiative": initiative})


def _save_step(request, initiative: Initiative, step: str, data: dict) -> Initiative:
    if step == "plek" and data.get("use_kern_centre") and data.get("latitude") is None:
        kern = initiative.kern
        data = {**data, "latitude": kern.latitude, "longitude": kern.longitude}
    if step == "plek":
        data.pop("use_kern_centre", None)
    return services.update_draft(actor=request.user, initiative=initiative, **data)


@login_required
def edit_step(request, pk: int, step: str):
    initiative = get_object_or_404(Initiative.objects.select_related("kern"), pk=pk)
    if step not in STEP_KEYS:
        return redirect("initiatives:edit_step", pk=pk, step=STEP_KEYS[0])
    if not may(request.user, "initiatives.change_initiative", initiative):
        if may(request.user, "initiatives.view_initiative", initiative) and \
                request.user.pk in initiative.initiator_ids():
            # The initiator can act on this "no": tell them why, and the way back.
            if initiative.status == Status.SUBMITTED:
                message = _("Dit initiatief is ingediend en kan niet meer worden bewerkt. Wilt u iets veranderen? "
                            "Wacht op het antwoord van de dorpsraad; die kan u om een aanpassing vragen.")
            else:
                message = _("Dit initiatief kan niet meer worden bewerkt (status: %(status)s). U kunt wel een "
                            "nieuwtje plaatsen op de pagina van het initiatief.") % {
                    "status": initiative.get_status_display()}
            raise Refused(
                message,
                back_url=initiative.get_absolute_url(), back_label=_("Terug naar het initiatief"),
            )
        raise PermissionDenied
    form_class = dict((key, form) for key, _label, form in STEPS)[step]
    next_step = STEP_KEYS[STEP_KEYS.index(step) + 1] if step != STEP_KEYS[-1] else None

    if step == "indienen":
        if request.method == "POST":
            try:
                services.submit_initiative(actor=request.user, initiative=initiative)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(error_messages(error)))
                return _render(request, step, None, initiative, status=400)
            messages.success(request, _("Uw initiatief is ingediend. De dorpsraad bekijkt het zo snel mogelijk."))
            return redirect(initiative.get_absolute_url())
        return _render(request, step, None, initiative)

    if step == "fotos":
        form = form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            image = form.cleaned_data["photo"]
            if image is None:
                return redirect("initiatives:edit_step", pk=pk, step=next_step)
            try:
                services.add_photo(actor=request.user, initiative=initiative, image=image,
                                         alt_text=form.cleaned_data["alt_text"])
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("De foto is toegevoegd."))
                return redirect("initiatives:edit_step", pk=pk, step="fotos")
        return _render(request, step, form, initiative, status=400 if form.errors else 200)

    extra = {"current_deadline": initiative.deadline} if step == "nodig" else {}
    form = form_class(request.POST or None, initial=_initial(initiative, step), **extra)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = _save_step(request, initiative, step, dict(form.cleaned_data))
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            return redirect("initiatives:edit_step", pk=pk, step=next_step)
    return _render(request, step, form, initiative, status=400 if form.errors else 200)
