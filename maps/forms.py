"""Forms for walks. They only check shape; the services decide (and sanitise) everything else."""

import json
import uuid
from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.forms import CoordinateField
from initiatives.images import PhotoField
from maps.models import CrowScore, ObservationKind, ObservationTheme


class RouteField(forms.CharField):
    """The route as the map editor writes it: a GeoJSON LineString's coordinates (``[[lng, lat], …]``) as JSON."""

    widget = forms.HiddenInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        try:
            route = json.loads(value)
        except ValueError:
            raise forms.ValidationError(_("De route op de kaart kon niet worden gelezen. Teken hem opnieuw."),
                                        code="route") from None
        return route


class WalkForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=120,
                            help_text=_("Bijvoorbeeld: Wijkschouw rond de Dorpsstraat"))
    description = forms.CharField(label=_("Waarom deze wijkschouw?"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Begintijd"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Eindtijd"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    meeting_point = forms.CharField(label=_("Verzamelplek"), max_length=200,
                                    help_text=_("Bijvoorbeeld: bij de ingang van het dorpshuis"))
    meeting_latitude = CoordinateField(label=_("Breedtegraad van de verzamelplek"), required=False,
                                       max_digits=9, decimal_places=6)
    meeting_longitude = CoordinateField(label=_("Lengtegraad van de verzamelplek"), required=False,
                                        max_digits=9, decimal_places=6)
    route = RouteField(required=False)
    route_description = forms.CharField(label=_("De route in woorden"), required=False, max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 3}),
                                        help_text=_("Voor wie de kaart niet gebruikt: welke straten lopen we?"))
    themes = forms.MultipleChoiceField(label=_("Waar letten we op?"), choices=ObservationTheme.choices,
                                       widget=forms.CheckboxSelectMultiple)
    max_participants = forms.IntegerField(label=_("Hoogstens zoveel deelnemers"), required=False, min_value=1,
                                          max_value=500)
    observations_public = forms.BooleanField(label=_("Waarnemingen zijn meteen voor iedereen te zien"),
                                             required=False)

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            zone = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.combine(day, start), zone)
            data["ends_at"] = timezone.make_aware(datetime.combine(day, end), zone)
        return data

    def service_values(self) -> dict:
        data = self.cleaned_data
        names = ("title", "description", "starts_at", "ends_at", "meeting_point", "meeting_latitude",
                 "meeting_longitude", "route", "route_description", "themes", "max_participants",
                 "observations_public")
        return {name: data.get(name) for name in names}


def initial_walk_times() -> dict:
    next_saturday = timezone.localdate() + timedelta(days=(5 - timezone.localdate().weekday()) % 7 or 7)
    return {"date": next_saturday, "start_time": time(10, 0), "end_time": time(12, 0)}


class MoveForm(forms.Form):
    date = forms.DateField(label=_("Nieuwe datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Begintijd"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Eindtijd"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    meeting_point = forms.CharField(label=_("Verzamelplek"), max_length=200)

    clean = WalkForm.clean


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Waarom gaat de wijkschouw niet door?"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ObservationForm(forms.Form):
    """An observation without the map: the place by address or in words (or typed coordinates)."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    theme = forms.ChoiceField(label=_("Thema"), choices=ObservationTheme.choices)
    kind = forms.ChoiceField(label=_("Wat is het?"), choices=ObservationKind.choices, initial=ObservationKind.PROBLEM,
                             widget=forms.RadioSelect)
    description = forms.CharField(label=_("Wat ziet u?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    address = forms.CharField(label=_("Adres"), required=False, max_length=200,
                              help_text=_("Bijvoorbeeld: Dorpsstraat 12"))
    place_description = forms.CharField(label=_("Of beschrijf de plek"), required=False, max_length=300,
                                        help_text=_("Bijvoorbeeld: het bankje bij de ingang van het park"))
    latitude = CoordinateField(label=_("Breedtegraad"), required=False, max_digits=12, decimal_places=8)
    longitude = CoordinateField(label=_("Lengtegraad"), required=False, max_digits=12, decimal_places=8)
    crow_score = forms.ChoiceField(label=_("Beeldkwaliteit"), required=False,
                                   choices=[("", _("Geen score"))] + CrowScore.choices)
    photo = PhotoField(label=_("Foto"), required=False)
    alt_text = forms.CharField(label=_("Wat staat er op de foto?"), required=False, max_length=250)


class ObservationPhotoForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    photo = PhotoField(label=_("Foto"))
    alt_text = forms.CharField(label=_("Wat staat er op de foto?"), required=False, max_length=250)


class TriageForm(forms.Form):
    observations = forms.TypedMultipleChoiceField(label=_("Waarnemingen"), coerce=int,
                                                  widget=forms.CheckboxSelectMultiple)
    decision = forms.ChoiceField(label=_("Wat gebeurt ermee?"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Toelichting (ziet de waarnemer)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    offer_to = forms.TypedChoiceField(label=_("Concept-initiatief voor"), coerce=int, required=False)

    def __init__(self, *args, observations=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observations"].choices = [(o.pk, str(o)) for o in observations]
        self.fields["decision"].choices = DECISION_CHOICES
        self.fields["offer_to"].choices = [("", _("mijzelf"))] + [(p.pk, p.display_name) for p in people]


DECISION_CHOICES = [
    ("reported", _("Melden bij de gemeente")),
    ("initiative", _("Wordt een initiatief")),
    ("no_action", _("Geen actie")),
    ("praise", _("Compliment: bewaren als iets goeds")),
]


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(label=_("Houd deze waarneming"), coerce=int)
    duplicates = forms.TypedMultipleChoiceField(label=_("Voeg deze erbij"), coerce=int,
                                                widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Toelichting"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, observations=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(o.pk, str(o)) for o in observations]
        self.fields["survivor"].choices = choices
        self.fields["duplicates"].choices = choices


class CorrectForm(forms.Form):
    theme = forms.ChoiceField(label=_("Thema"), choices=ObservationTheme.choices)
    address = forms.CharField(label=_("Adres"), required=False, max_length=200)
    latitude = CoordinateField(label=_("Breedtegraad"), required=False, max_digits=12, decimal_places=8)
    longitude = CoordinateField(label=_("Lengtegraad"), required=False, max_digits=12, decimal_places=8)
    reason = forms.CharField(label=_("Waarom deze correctie?"), max_length=2000)
