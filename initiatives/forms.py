"""Forms for initiatives. They only check shape; the services decide (and sanitise) everything else."""

import re
import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Kern
from initiatives.images import PhotoField
from initiatives.models import Pledge, Status, Theme
from initiatives.money import PLEDGE_MAX, PLEDGE_MIN, parse_euro

GOAL_MIN = Decimal("1.00")
GOAL_MAX = Decimal("100000.00")

SORT_CHOICES = [
    ("newest", _("Nieuwste eerst")),
    ("most_supported", _("Meeste steun")),
    ("closing_soon", _("Sluit het eerst")),
]
PUBLIC_STATUS_CHOICES = [("", _("Alle"))] + [
    (s.value, s.label) for s in (Status.PUBLISHED, Status.FUNDING, Status.FUNDED, Status.NOT_FUNDED,
                                 Status.REALISED, Status.ARCHIVED)
]


class EuroField(forms.Field):
    """Euros as people type them ("25", "25,50", "25.50", "€ 1.250,50"), read by ``initiatives.money.parse_euro``:
    the same notations, limits and messages as the API and the services."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, *, minimum=PLEDGE_MIN, maximum=PLEDGE_MAX, code="amount", **kwargs):
        self.minimum, self.maximum, self.code = Decimal(minimum), Decimal(maximum), code
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_euro(value, minimum=self.minimum, maximum=self.maximum, code=self.code)


class CoordinateField(forms.DecimalField):
    """A latitude or longitude as shown on the page: "51,8812" (decimal comma) and "51.8812" mean the same."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".", 1) if value.count(",") == 1 and "." not in value else value
        return super().to_python(value)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    kern = forms.ModelChoiceField(label=_("Kern"), queryset=Kern.objects.all(), required=False,
                                  to_field_name="slug", empty_label=_("Alle kernen"))
    theme = forms.ChoiceField(label=_("Thema"), required=False, choices=[("", _("Alle thema's"))] + Theme.choices)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=PUBLIC_STATUS_CHOICES)
    sort = forms.ChoiceField(label=_("Sorteren"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The kernen as a plain list, read once: iterating the field's own choices counts them first.
        kern = self.fields["kern"]
        kern.choices = [("", kern.empty_label), *Kern.objects.order_by("name").values_list("slug", "name")]


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Titel"), min_length=5, max_length=120,
                            help_text=_("Bijvoorbeeld: Bankjes langs de dijk"))
    summary = forms.CharField(label=_("Korte samenvatting"), max_length=300, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Eén of twee zinnen: wat wilt u doen?"))
    theme = forms.ChoiceField(label=_("Thema"), choices=Theme.choices)
    kern = forms.ModelChoiceField(label=_("Kern"), queryset=Kern.objects.all(), empty_label=None,
                                  help_text=_("Standaard uw eigen kern."))
    # A fresh key per rendered start form: sending the same form again finds the draft made the first time.
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)
    confirm_repeat = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4().hex)


class StoryForm(forms.Form):
    story = forms.CharField(label=_("Uw verhaal"), required=False, max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 10}),
                            help_text=_("Waarom is dit goed voor het dorp? Wie doet er mee? Gewone tekst is prima."))


class PlaceForm(forms.Form):
    location_label = forms.CharField(label=_("Waar is het?"), max_length=200, required=False,
                                     help_text=_("Een adres of een plek die iedereen kent, bijvoorbeeld: "
                                                 "speeltuin aan de Dorpsstraat."))
    latitude = CoordinateField(label=_("Breedtegraad"), required=False, max_digits=9, decimal_places=6,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                                  help_text=_("Niet verplicht. Wordt ingevuld als u op de kaart klikt."))
    longitude = CoordinateField(label=_("Lengtegraad"), required=False, max_digits=9, decimal_places=6,
                                   widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    use_kern_centre = forms.BooleanField(label=_("Gebruik het midden van de kern als plek"), required=False)

    def clean(self):
        from maps.geo import validate_location

        data = super().clean()
        if self.errors:
            return data
        if data.get("use_kern_centre") and data.get("latitude") is None and data.get("longitude") is None:
            return data
        try:
            validate_location(data.get("latitude"), data.get("longitude"))
        except forms.ValidationError as error:
            self.add_error("latitude", error)
        return data


class NeedsForm(forms.Form):
    goal = EuroField(label=_("Hoeveel geld is er nodig? (euro)"), required=False, minimum=GOAL_MIN,
                     maximum=GOAL_MAX, code="goal", help_text=_("Laat leeg als u geen geld nodig heeft."))
    deadline = forms.DateField(label=_("Tot wanneer zamelt u geld in?"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Alleen nodig als u geld vraagt."))
    needs_volunteers = forms.IntegerField(label=_("Hoeveel vrijwilligers zoekt u?"), min_value=0,
                                          max_value=1000, initial=0, required=False)
    needs_materials = forms.CharField(label=_("Welke materialen zoekt u?"), required=False, max_length=2000,
                                      widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, current_deadline=None, **kwargs):
        self.current_deadline = current_deadline
        super().__init__(*args, **kwargs)

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline is not None and deadline != self.current_deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("De einddatum ligt in het verleden. Kies een datum vanaf vandaag."),
                                        code="deadline")
        return deadline


class PhotoForm(forms.Form):
    photo = PhotoField(label=_("Foto"), required=False,
                       help_text=_("JPEG, PNG of WebP, hoogstens 10 MB. Waar de foto is gemaakt, slaan we niet op."))
    alt_text = forms.CharField(label=_("Wat staat er op de foto?"), max_length=250, required=False,
                               help_text=_("Voor wie de foto niet kan zien."))

    def clean(self):
        data = super().clean()
        if data.get("photo") and not data.get("alt_text"):
            self.add_error("alt_text", _("Beschrijf in een paar woorden wat er op de foto staat."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Besluit"), widget=forms.RadioSelect, choices=[
        ("approve", _("Goedkeuren en publiceren")),
        ("request_changes", _("Om aanpassing vragen")),
        ("decline", _("Afwijzen")),
    ])
    reason = forms.CharField(label=_("Toelichting"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Verplicht bij aanpassing vragen of afwijzen. De initiatiefnemer leest dit."))

    def __init__(self, *args, prefix_pk=None, **kwargs):
        if prefix_pk is not None:
            kwargs.setdefault("prefix", f"i{prefix_pk}")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("request_changes", "decline") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Schrijf erbij waarom; de initiatiefnemer leest dit."))
        return data


class PledgeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Wat zegt u toe?"), widget=forms.RadioSelect, choices=Pledge.Kind.choices,
                             initial=Pledge.Kind.MONEY)
    amount = EuroField(label=_("Bedrag in euro"), required=False)
    hours = forms.IntegerField(label=_("Aantal uren"), required=False, min_value=1, max_value=1000)
    materials = forms.CharField(label=_("Welke materialen?"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    message = forms.CharField(label=_("Bericht aan de initiatiefnemers"), required=False, max_length=300)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    # Set by the "Ja, nog een keer" button after "U heeft zojuist € 17 toegezegd. Nog een keer € 17?".
    confirm_repeat = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, money_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # A fresh key per rendered form: a double click or a retried post sends the same key.
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        if not money_allowed:
            self.fields["kind"].choices = [c for c in Pledge.Kind.choices if c[0] != Pledge.Kind.MONEY]
            self.fields["kind"].initial = Pledge.Kind.TIME
            del self.fields["amount"]

    def kept_as(self) -> tuple:
        """Its empty fields look the same to everyone, apart from whether money may be pledged ({% form_fields %})."""
        return ("amount" in self.fields,)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needed = {Pledge.Kind.MONEY: "amount", Pledge.Kind.TIME: "hours", Pledge.Kind.MATERIALS: "materials"}.get(kind)
        if needed and needed in self.fields and needed not in self.errors and not data.get(needed):
            self.add_error(needed, _("Vul dit in voor uw toezegging."))
        return data


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=120)
    body = forms.CharField(label=_("Bericht"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))


class ThresholdForm(forms.Form):
    """How many supporters put an initiative on the council's agenda: a whole number from 1 to 100.000.

    Read here, not by ``IntegerField``: that one reads "1.000" as 1 (it drops a trailing ".000")."""

    supporters = forms.CharField(
        label=_("Aantal steunbetuigingen"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 8}),
        help_text=_("Bij dit aantal komt een initiatief op de agenda van de dorpsraad. Kies 1 tot 100.000."),
        error_messages={"required": _("Vul een aantal in."), "max_length": _("Vul een aantal in van 1 tot 100.000.")},
    )

    def clean_supporters(self):
        from initiatives.models.agenda import MAX_THRESHOLD, MIN_THRESHOLD

        text = self.cleaned_data["supporters"].strip().replace(" ", "").replace("\u00a0", "")
        if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", text):  # "1.000" as written in Dutch
            text = text.replace(".", "")
        if not re.fullmatch(r"[0-9]+", text):
            raise forms.ValidationError(_("Vul een heel getal in, bijvoorbeeld 25."), code="supporters")
        number = int(text)
        if not MIN_THRESHOLD <= number <= MAX_THRESHOLD:
            raise forms.ValidationError(_("Vul een aantal in van 1 tot 100.000."), code="supporters")
        return number


class MeetingDateForm(forms.Form):
    meeting_date = forms.DateField(
        label=_("Datum van de vergadering"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Kies een datum."), "invalid": _("Vul een geldige datum in.")},
    )

    def __init__(self, *args, prefix_pk=None, **kwargs):
        if prefix_pk is not None:
            kwargs.setdefault("prefix", f"d{prefix_pk}")
        super().__init__(*args, **kwargs)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Besluit van de dorpsraad"), widget=forms.RadioSelect, choices=[
        ("adopted", _("Aangenomen")),
        ("rejected", _("Afgewezen")),
        ("referred", _("Doorverwezen")),
    ], error_messages={"required": _("Kies een besluit."), "invalid_choice": _("Kies een besluit uit de lijst.")})
    outcome_text = forms.CharField(
        label=_("Toelichting"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kort en duidelijk. De initiatiefnemers en wie steunt lezen dit."),
        error_messages={"required": _("Schrijf in een paar zinnen wat de dorpsraad besloot."),
                        "max_length": _("Schrijf hoogstens 1000 tekens.")},
    )

    def __init__(self, *args, prefix_pk=None, **kwargs):
        if prefix_pk is not None:
            kwargs.setdefault("prefix", f"o{prefix_pk}")
        super().__init__(*args, **kwargs)
