"""The personas of a workshop: who the journey is about (rule ``lab.change_workshop``: its facilitators and staff,
until the end). One page lists them, each with a form to change it and a button to take it away, and has a form
to add one. Thin: each form is one service call; bad input or a refusal of the service is shown on the page
(status 400) and changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import error_text
from core.permissions import Refused, may
from lab.forms import PersonaForm
from lab.models import Persona
from lab.workshops import services
from lab.workshops.services.personas import MAX_PERSONAS, REFUSED
from lab.workshops.views._common import workshop_or_404

ADD_ID = "nieuw-%s"


def _edit_id(persona: Persona) -> str:
    return f"persona-{persona.pk}-%s"


def _changing(request, pk: int):
    """The workshop (404 when there is none), for who may change it (403 with the reason for anyone else)."""
    workshop = workshop_or_404(pk)
    if not may(request.user, "lab.change_workshop", workshop):
        raise Refused(REFUSED, back_url=reverse("lab:workshop", args=[workshop.pk]),
                      back_label=_("Terug naar de werksessie"))
    return workshop


def _persona(workshop, persona_id: int) -> Persona:
    """One persona of this workshop; one of another workshop answers like one that does not exist."""
    persona = Persona.objects.filter(pk=persona_id, workshop=workshop).first()
    if persona is None:
        raise Http404
    persona.workshop = workshop  # the services ask the rule about it: no second query
    return persona


def _back(workshop, persona: Persona | None = None) -> str:
    url = reverse("lab:personas", args=[workshop.pk])
    return url + (f"#persona-{persona.pk}" if persona is not None else "")


def _page(request, workshop, *, add: PersonaForm | None = None, failed: dict | None = None, status: int = 200):
    """The page; ``add`` or ``failed`` (``{persona id: bound form}``) hold a form that came back with errors."""
    failed = failed or {}
    people = list(workshop.personas.all())
    rows = [(persona, failed.get(persona.pk) or PersonaForm(auto_id=_edit_id(persona), initial={
        "name": persona.name, "situation": persona.situation, "needs": persona.needs,
        "photo_alt": persona.photo_alt})) for persona in people]
    return render(request, "lab/workshops/personas.html", {
        "workshop": workshop, "rows": rows, "add_form": add or PersonaForm(auto_id=ADD_ID),
        "room_for_more": len(people) < MAX_PERSONAS, "max_personas": MAX_PERSONAS,
    }, status=status)


@require_http_methods(["GET", "POST"])
def personas(request, pk: int):
    """The page; a POST adds a persona."""
    workshop = _changing(request, pk)
    if request.method != "POST":
        return _page(request, workshop)
    form = PersonaForm(request.POST, request.FILES, auto_id=ADD_ID)
    if form.is_valid():
        try:
            persona = services.add_persona(actor=request.user, workshop=workshop, **form.add_values())
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("De persona %(name)s is toegevoegd.") % {"name": persona.name})
            return redirect(_back(workshop, persona))
    return _page(request, workshop, add=form, status=400)


@require_POST
def change_persona(request, pk: int, persona_id: int):
    workshop = _changing(request, pk)
    persona = _persona(workshop, persona_id)
    form = PersonaForm(request.POST, request.FILES, auto_id=_edit_id(persona))
    if form.is_valid():
        try:
            changed = services.change_persona(actor=request.user, persona=persona, **form.change_values())
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("De persona %(name)s is bewaard.") % {"name": changed.name})
            return redirect(_back(workshop, changed))
    return _page(request, workshop, failed={persona.pk: form}, status=400)


@require_POST
def remove_persona(request, pk: int, persona_id: int):
    workshop = _changing(request, pk)
    persona = _persona(workshop, persona_id)
    services.remove_persona(actor=request.user, persona=persona)
    messages.success(request, _("De persona %(name)s is weggehaald.") % {"name": persona.name})
    return redirect(_back(workshop))
