"""Forms of the workshop pages. They only check shape; the services decide (and clean) everything else."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Kern
from initiatives.images import PhotoField
from lab.models import CARD_TEXT_MAX, NAME_MAX, FeelingKind, JourneyTemplate, Phase
from lab.models.photos import PHOTO_ALT_MAX
from lab.workshops.services.personas import TEXT_MAX as PERSONA_TEXT_MAX
from lab.workshops.services.workshops import DEFAULT_STAGES, MAX_STAGES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
CODE_RE = re.compile(r"^\d{6}$")


def clean_code(value: str) -> str:
    """Six digits, with the spaces or dashes people type between them taken out."""
    return re.sub(r"[\s\-.]", "", value or "")


JOURNEY_FILE_MAX = 1024 * 1024  # 1 MB: a journey of 12 stages, 12 lanes and 2,000 cards fits easily


def read_journey_file(upload) -> dict:
    """An uploaded journey file as JSON (only its shape: ``validate_journey`` decides whether it is a journey)."""
    if upload.size > JOURNEY_FILE_MAX:
        raise forms.ValidationError(_("Dit bestand is te groot. Een klantreis is hoogstens 1 MB."), code="too_big")
    raw = upload.read(JOURNEY_FILE_MAX + 1)
    if len(raw) > JOURNEY_FILE_MAX:
        raise forms.ValidationError(_("Dit bestand is te groot. Een klantreis is hoogstens 1 MB."), code="too_big")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(_("Dit bestand is geen tekst in UTF-8. Bewaar het als UTF-8 en probeer het "
                                      "opnieuw."), code="encoding") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise forms.ValidationError(_("Dit bestand is geen JSON. Kies een klantreis die u uit Samenlab heeft "
                                      "gehaald."), code="not_json") from None
    if not isinstance(data, dict):
        raise forms.ValidationError(_("Dit bestand is geen klantreis. Kies een klantreis die u uit Samenlab heeft "
                                      "gehaald."), code="shape")
    return data


class PlanWorkshopForm(forms.Form):
    """Typed fields; or a journey (a saved template or an uploaded file) that brings its stages, lanes, personas
    and cards along. Then title and service may stay empty: the journey's are used."""

    template = forms.ModelChoiceField(
        label=_("Beginnen met een sjabloon"), required=False, empty_label=_("Zonder sjabloon"),
        queryset=JourneyTemplate.objects.order_by("-created_at", "-pk").only("pk", "title"),
        help_text=_("De fasen, rijen, persona's en kaartjes komen dan uit het sjabloon."))
    journey_file = forms.FileField(
        label=_("Of een klantreis als bestand"), required=False,
        help_text=_("Een JSON-bestand van hoogstens 1 MB, bijvoorbeeld een klantreis die u eerder downloadde."),
        widget=forms.FileInput(attrs={"accept": "application/json,.json"}))
    title = forms.CharField(label=_("Titel"), max_length=150,
                            help_text=_("Bijvoorbeeld: Verhuizen naar Molenlanden"))
    service = forms.CharField(label=_("Over welke dienst of vraag gaat het?"), max_length=300)
    customer_group = forms.CharField(label=_("Voor welke klantgroep?"), max_length=200, required=False,
                                     help_text=_("Bijvoorbeeld: mantelzorgers of nieuwe inwoners"))
    description = forms.CharField(label=_("Toelichting"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    kern = forms.ModelChoiceField(label=_("Kern"), queryset=Kern.objects.order_by("name"), required=False,
                                  empty_label=_("De hele gemeente"), to_field_name="slug")
    date = forms.DateField(label=_("Datum"), widget=DATE)
    start_time = forms.TimeField(label=_("Begintijd"), widget=TIME)
    end_time = forms.TimeField(label=_("Eindtijd"), widget=TIME)
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False,
                            help_text=_("Bijvoorbeeld: het dorpshuis van Arkel"))
    online_url = forms.URLField(label=_("Online via deze link"), required=False, assume_scheme="https")
    dots_per_participant = forms.IntegerField(label=_("Stippen per deelnemer"), min_value=1, max_value=20,
                                              initial=3)
    stages = forms.CharField(label=_("Fasen van de klantreis"), widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("Eén fase per regel, in de goede volgorde."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and (self.data.get("template") or self.files.get("journey_file")):
            for name in ("title", "service", "stages"):  # the journey brings them
                self.fields[name].required = False

    def clean_journey_file(self):
        upload = self.cleaned_data.get("journey_file")
        return read_journey_file(upload) if upload else None

    def clean_stages(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["stages"].splitlines() if line.strip()]
        if not self.fields["stages"].required and not lines:
            return []
        if not 1 <= len(lines) <= MAX_STAGES:
            raise forms.ValidationError(_("Geef 1 tot 12 fasen, één per regel."), code="stages")
        return lines

    def clean(self):
        data = super().clean()
        if data.get("template") and data.get("journey_file"):
            self.add_error("journey_file", _("Kies een sjabloon of een bestand, niet allebei."))
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            zone = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.combine(day, start), zone)
            data["ends_at"] = timezone.make_aware(datetime.combine(day, end), zone)
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("Vul een plaats in, of een link om online mee te doen."))
        return data

    def service_values(self) -> dict:
        data = self.cleaned_data
        names = ("title", "service", "customer_group", "description", "kern", "starts_at", "ends_at", "place",
                 "online_url", "dots_per_participant", "stages")
        return {name: data.get(name) for name in names}

    def journey(self) -> dict | None:
        """The journey to start from (a template's or the uploaded file's), or None for the typed stages."""
        template = self.cleaned_data.get("template")
        return template.data if template else self.cleaned_data.get("journey_file")

    def journey_values(self) -> dict:
        """What ``plan_from_journey`` takes besides the journey: the typed fields, the stages left out. Empty
        title, service and customer group leave the journey's."""
        values = self.service_values()
        del values["stages"]
        for name in ("title", "service", "customer_group"):
            if not values[name]:
                del values[name]
        return values


def initial_plan() -> dict:
    in_two_weeks = timezone.localdate() + timedelta(days=14)
    return {"date": in_two_weeks, "start_time": time(19, 30), "end_time": time(21, 30), "dots_per_participant": 3,
            "stages": "\n".join(str(stage) for stage in DEFAULT_STAGES)}


class JoinForm(forms.Form):
    code = forms.CharField(label=_("De code van zes cijfers"), max_length=12,
                           help_text=_("De begeleider laat de code zien. Bijvoorbeeld: 123456"),
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                         "size": 8, "class": "join-code-input"}))
    display_name = forms.CharField(label=_("Uw naam op het bord"), max_length=NAME_MAX, required=False,
                                   help_text=_("Alleen uw voornaam is genoeg."),
                                   widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    anonymous = forms.BooleanField(label=_("Ik doe anoniem mee"), required=False,
                                   help_text=_("Dan staat bij uw kaartjes alleen “Deelnemer”."))

    def clean_code(self) -> str:
        code = clean_code(self.cleaned_data["code"])
        if not CODE_RE.match(code):
            raise forms.ValidationError(_("Een code heeft zes cijfers. Kijk de code na."), code="code")
        return code


class CardPhotoFields(forms.Form):
    """An optional photo on a card, and what it shows (for who cannot see it)."""

    photo = PhotoField(label=_("Foto (mag ook niet)"), required=False)
    photo_alt = forms.CharField(label=_("Wat staat er op de foto?"), max_length=PHOTO_ALT_MAX, required=False)


class CardForm(CardPhotoFields):
    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    stage = forms.IntegerField(widget=forms.HiddenInput)
    lane = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Nieuw kaartje"), max_length=CARD_TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CardTextForm(CardPhotoFields):
    text = forms.CharField(label=_("Tekst van het kaartje"), max_length=CARD_TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
    remove_photo = forms.BooleanField(label=_("Foto weghalen"), required=False)

    def photo_changes(self) -> dict:
        """What ``services.edit_card`` is told about the photo (a description only counts when one is sent)."""
        data = self.cleaned_data
        return {"image": data.get("photo"), "remove_photo": bool(data.get("remove_photo")),
                "photo_alt": data["photo_alt"] if "photo_alt" in self.data else None}


class DotForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


SCORES = [(-2, _("−2: heel slecht")), (-1, _("−1: slecht")), (0, _("0: niet goed, niet slecht")),
          (1, _("+1: goed")), (2, _("+2: heel goed"))]


class FeelingForm(forms.Form):
    stage = forms.IntegerField(widget=forms.HiddenInput)
    current = forms.TypedChoiceField(label=FeelingKind.CURRENT.label, choices=SCORES, coerce=int, required=False,
                                     widget=forms.RadioSelect)
    desired = forms.TypedChoiceField(label=FeelingKind.DESIRED.label, choices=SCORES, coerce=int, required=False,
                                     widget=forms.RadioSelect)

    def clean(self):
        data = super().clean()
        if data.get("current") in (None, "") and data.get("desired") in (None, ""):
            raise forms.ValidationError(_("Kies hoe de persoon zich voelt."), code="required")
        return data


class ControlForm(forms.Form):
    """The facilitator's controls: which control, and what it needs."""

    ACTIONS = ("open", "phase", "reveal", "timer", "stop_timer", "spotlight_off", "bring", "lock_board",
               "unlock_board", "lock_lane", "unlock_lane", "show_votes", "end", "add_stage", "add_lane")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    phase = forms.ChoiceField(choices=Phase.choices, required=False)
    minutes = forms.IntegerField(label=_("Minuten"), min_value=1, max_value=60, required=False)
    stage = forms.IntegerField(required=False)
    lane = forms.IntegerField(required=False)
    title = forms.CharField(max_length=80, required=False)


class ManageCardForm(forms.Form):
    """The facilitator moves, merges or groups one card."""

    action = forms.ChoiceField(choices=[(a, a) for a in ("move", "merge", "group", "spotlight")])
    stage = forms.IntegerField(required=False)
    lane = forms.IntegerField(required=False)
    into = forms.IntegerField(required=False)
    label = forms.CharField(max_length=80, required=False)


class PersonaForm(forms.Form):
    """One persona, added or changed on the personas page, with an optional photo or drawing (sent as multipart).

    Each form on that page gets its own ``auto_id`` (unique ids for the labels); the names of the fields stay
    the same, so every form posts ``name``, ``situation`` and so on.
    """

    name = forms.CharField(label=_("Naam"), max_length=NAME_MAX,
                           help_text=_("Een verzonnen naam. Gebruik niet de naam van een echte inwoner."))
    situation = forms.CharField(label=_("Situatie"), max_length=PERSONA_TEXT_MAX,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Wie is deze persoon? Wat speelt er in het leven van deze persoon?"))
    needs = forms.CharField(label=_("Wat heeft deze persoon nodig?"), max_length=PERSONA_TEXT_MAX, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    photo = PhotoField(label=_("Foto of tekening"), required=False,
                       help_text=_("Dit hoeft niet. Kies een JPEG, PNG of WebP van hoogstens 10 MB. "
                                   "We halen de plaats en de camera uit de foto."))
    photo_alt = forms.CharField(label=_("Wat staat er op de foto of tekening?"), max_length=PHOTO_ALT_MAX,
                                required=False, help_text=_("Voor wie de foto niet kan zien."))
    remove_photo = forms.BooleanField(label=_("Foto weghalen"), required=False)

    def add_values(self) -> dict:
        """What ``services.add_persona`` is told."""
        data = self.cleaned_data
        return {"name": data["name"], "situation": data["situation"], "needs": data["needs"],
                "image": data["photo"], "photo_alt": data["photo_alt"]}

    def change_values(self) -> dict:
        """What ``services.change_persona`` is told (a description only counts when one is sent)."""
        return {**self.add_values(), "photo_alt": self.cleaned_data["photo_alt"] if "photo_alt" in self.data else None,
                "remove_photo": self.cleaned_data["remove_photo"]}
