"""Forms of the village hall: the code page, the address list, revoking, the counter, and the one-form ballot that
the counter and the paper entry share. The forms read what was sent; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formats import money
from voting.models import BallotFormat, Budget, Poll, PollKind
from voting.selectors.hall import Option
from voting.services._common import VotingError
from voting.services.codes import MAX_LIST_BYTES, read_address_list
from voting.services.paper import MAX_SHEET_NUMBER

CODE_MAX = 80  # 26 characters, with room for spaces, dashes and a pasted line
REASON_MAX = 300
MAX_POINTS = 999


class CodeEntryForm(forms.Form):
    code = forms.CharField(
        label=_("Uw stemcode"), max_length=CODE_MAX,
        help_text=_("U vindt de code in de brief, in het vak 'Uw persoonlijke stemcode'. Streepjes en spaties "
                    "mogen, maar hoeven niet."),
        error_messages={"required": _("Vul de stemcode uit uw brief in."),
                        "max_length": _("Deze stemcode is te lang. Kijk de code in de brief na.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                      "autocorrect": "off", "class": "code-input", "inputmode": "text"}))


class AddressListForm(forms.Form):
    addresses = forms.FileField(
        label=_("Adressenlijst (CSV)"),
        help_text=_("Een CSV-bestand in UTF-8 met de kolommen naam, straat, postcode en woonplaats. Hoogstens "
                    "10 MB."),
        error_messages={"required": _("Kies het bestand met de adressen."), "empty": _("De lijst is leeg.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))

    def clean_addresses(self):
        """The addressees of the list (``read_address_list``), or the reason it cannot be read."""
        upload = self.cleaned_data["addresses"]
        if upload.size > MAX_LIST_BYTES:
            raise forms.ValidationError(_("Het bestand is te groot: hoogstens 10 MB."), code="too_large")
        try:
            return read_address_list(upload.read(MAX_LIST_BYTES + 1))
        except VotingError as error:
            raise forms.ValidationError(error.messages) from None


class PostcodeSearchForm(forms.Form):
    postcode = forms.CharField(label=_("Zoek op postcode"), max_length=10, required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "2952 AB"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"), max_length=REASON_MAX,
        help_text=_("Bijvoorbeeld: brief kwijt, of verkeerd adres."),
        error_messages={"required": _("Schrijf kort op waarom.")})


class ResidentSearchForm(forms.Form):
    q = forms.CharField(label=_("Zoek een inwoner met een account"), max_length=100, required=False,
                        help_text=_("Op naam, e-mailadres of postcode."),
                        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}))


class CounterCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Stemcode uit de brief"), max_length=CODE_MAX,
        error_messages={"required": _("Vul de stemcode uit de brief in.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                      "class": "code-input"}))


def _option_label(option: Option) -> str:
    label = f"{option.number}. {option.label}"
    return f"{label} ({money(option.cost)})" if option.cost is not None else label


class ChoicesForm(forms.Form):
    """The whole ballot of ``box`` in one form: the poll's options (one or more, or a scale) or the budget's
    projects (chosen, or points each). ``raw_choices()`` is what ``clean_choices`` checks.

    Precondition: ``options`` is ``voting.selectors.hall.ballot_options(box)``.
    """

    def __init__(self, *args, box, options: list[Option], **kwargs):
        super().__init__(*args, **kwargs)
        self.box, self.options = box, options
        subject = box.subject
        self.points_fields: list[tuple[str, Option]] = []
        if isinstance(subject, Poll) and subject.kind == PollKind.SCALE:
            low, high = subject.scale_low, subject.scale_high
            labels = {1: f"1 - {low}" if low else "1", subject.scale_size:
                      f"{subject.scale_size} - {high}" if high else str(subject.scale_size)}
            self.fields["scale"] = forms.TypedChoiceField(
                label=_("Kies een waarde"), required=False, coerce=int, widget=forms.RadioSelect,
                choices=[(option.number, labels.get(option.number, str(option.number))) for option in options])
        elif isinstance(subject, Poll):
            choices = [(option.key, _option_label(option)) for option in options]
            if subject.kind == PollKind.SINGLE:
                self.fields["option"] = forms.ChoiceField(label=_("Kies één antwoord"), required=False,
                                                          choices=choices, widget=forms.RadioSelect)
            else:
                self.fields["option"] = forms.MultipleChoiceField(
                    label=_("Kies hoogstens %(n)s antwoorden") % {"n": subject.max_choices}, required=False,
                    choices=choices, widget=forms.CheckboxSelectMultiple)
        elif isinstance(subject, Budget) and subject.ballot_format == BallotFormat.POINTS:
            for option in options:
                name = f"points-{option.key}"
                self.fields[name] = forms.IntegerField(
                    label=_option_label(option), required=False, min_value=0, max_value=MAX_POINTS,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "points-input"}),
                    error_messages={"invalid": _("Vul een heel getal in."),
                                    "min_value": _("Een negatief aantal kan niet."),
                                    "max_value": _("Dat zijn te veel punten.")})
                self.points_fields.append((name, option))
        elif isinstance(subject, Budget):
            self.fields["project"] = forms.MultipleChoiceField(
                label=_("Kies de projecten"), required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(option.key, _option_label(option)) for option in options])

    @property
    def choice_fields(self):
        return [field for field in self if field.name in ("scale", "option", "project")
                or field.name.startswith("points-")]

    def raw_choices(self):
        """What the form chose, as ``clean_choices`` reads it. Precondition: ``is_valid()`` was called."""
        data = self.cleaned_data
        if "scale" in self.fields:
            return {"scale": data["scale"]} if data.get("scale") not in (None, "") else {}
        if "option" in self.fields:
            chosen = data.get("option") or []
            return [chosen] if isinstance(chosen, str) else list(chosen)
        if "project" in self.fields:
            return list(data.get("project") or [])
        return {option.key: data[name] for name, option in self.points_fields if data.get(name)}

    def initial_from(self, choices: dict) -> None:
        """Fill the form with an entry (for the colleague who settles a flagged sheet)."""
        if "scale" in self.fields:
            self.initial["scale"] = choices.get("scale")
        elif "option" in self.fields:
            keys = [key for key, points in choices.items() if points]
            multiple = isinstance(self.fields["option"], forms.MultipleChoiceField)
            self.initial["option"] = keys if multiple else (keys[0] if keys else None)
        elif "project" in self.fields:
            self.initial["project"] = [key for key in choices if choices[key]]
        else:
            for name, option in self.points_fields:
                self.initial[name] = choices.get(option.key) or None


class PaperEntryForm(ChoicesForm):
    """One paper ballot: its number, then what it says (or that it cannot be counted)."""

    number = forms.IntegerField(
        label=_("Nummer op het stembiljet"), min_value=1, max_value=MAX_SHEET_NUMBER,
        error_messages={"required": _("Vul het nummer van het stembiljet in."),
                        "invalid": _("Vul het nummer van het stembiljet in."),
                        "min_value": _("Het nummer van het stembiljet klopt niet."),
                        "max_value": _("Het nummer van het stembiljet klopt niet.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}))
    spoiled = forms.BooleanField(label=_("Dit stembiljet is leeg of ongeldig"), required=False)
