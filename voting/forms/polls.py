"""Forms of polls. They only check shape; the services decide (and clean) everything else."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voting.models import MAX_OPTIONS, OPTION_MAX, QUESTION_MAX, PollKind, ResultsShown, WhoMayVote
from voting.models.polls import SCALE_MAX, SCALE_MIN
from voting.services._common import VotingError

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
KEY_FIELD = "sleutel"  # the idempotency key, made when the ballot form is rendered
CHOICE_FIELD = "keuze"
CLOSED_BALLOT = "geheim"  # noqa: S105  (a kind of ballot, not a password)
SECRET_CHOICES = [(CLOSED_BALLOT, gettext_lazy("Geheim: niemand ziet wat iemand kiest")),
                  ("open", gettext_lazy("Open: iedereen ziet wie wat kiest"))]


def new_key() -> str:
    """A fresh idempotency key for one rendered ballot form (its retries and double clicks share it)."""
    return uuid.uuid4().hex


def read_ballot(kind: str, data) -> list[str] | dict[str, int]:
    """The choices of a posted ballot form: option ids, or ``{"scale": n}``. Only the shape is checked here
    (``voting.services.choices`` checks them against the poll); ``VotingError`` when it cannot be read."""
    values = data.getlist(CHOICE_FIELD) if hasattr(data, "getlist") else list(data.get(CHOICE_FIELD) or [])
    if len(values) > MAX_OPTIONS or any(not isinstance(value, str) or len(value) > 12 for value in values):
        raise VotingError(_("Deze keuzes kunnen we niet lezen."), code="invalid")
    values = [value.strip() for value in values if value.strip()]
    if not values:
        raise VotingError(_("Maak eerst een keuze."), code="required")
    if not all(value.isdigit() for value in values):
        raise VotingError(_("Die keuze hoort niet bij deze vraag."), code="unknown_choice")
    if kind == PollKind.SCALE:
        if len(values) != 1:
            raise VotingError(_("Kies één waarde op de schaal."), code="required")
        return {"scale": int(values[0])}
    return values


def read_key(data) -> str:
    key = data.get(KEY_FIELD, "")
    return key if isinstance(key, str) else ""


def _initial_times() -> dict:
    now = timezone.localtime()
    start = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    end = timezone.localtime(start + timedelta(days=14))
    return {"opens_date": start.date(), "opens_time": start.time(), "closes_date": end.date(),
            "closes_time": time(20, 0)}


class PollForm(forms.Form):
    """Setting up a poll. ``kernen``: where the person may make one (``None`` in it: the whole municipality)."""

    kern = forms.ChoiceField(label=gettext_lazy("Kern"))
    question = forms.CharField(label=gettext_lazy("Vraag"), max_length=QUESTION_MAX,
                               help_text=gettext_lazy("Kort en duidelijk, bijvoorbeeld “Waar komt het nieuwe "
                                                      "bankje?”"))
    intro = forms.CharField(label=gettext_lazy("Uitleg"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=gettext_lazy("Soort vraag"), choices=PollKind.choices, widget=forms.RadioSelect,
                             initial=PollKind.SINGLE)
    options = forms.CharField(label=gettext_lazy("Antwoorden"),
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=gettext_lazy("Eén antwoord per regel: 2 tot 12 antwoorden. Bij een schaal "
                                                     "laat u dit leeg."))
    max_choices = forms.IntegerField(label=gettext_lazy("Hoeveel antwoorden mag iemand kiezen?"), required=False,
                                     min_value=2, max_value=MAX_OPTIONS,
                                     help_text=gettext_lazy("Alleen bij meer keuzes. Leeg: zoveel als er zijn."))
    scale_size = forms.IntegerField(label=gettext_lazy("Aantal punten op de schaal"), min_value=SCALE_MIN,
                                    max_value=SCALE_MAX, initial=5, required=False,
                                    help_text=gettext_lazy("Alleen bij een schaal: 2 tot en met 10."))
    scale_low = forms.CharField(label=gettext_lazy("Wat betekent de laagste waarde?"), max_length=60,
                                required=False, help_text=gettext_lazy("Bijvoorbeeld: helemaal niet mee eens"))
    scale_high = forms.CharField(label=gettext_lazy("Wat betekent de hoogste waarde?"), max_length=60,
                                 required=False, help_text=gettext_lazy("Bijvoorbeeld: helemaal mee eens"))
    opens_date = forms.DateField(label=gettext_lazy("Open vanaf (datum)"), widget=DATE)
    opens_time = forms.TimeField(label=gettext_lazy("Open vanaf (tijd)"), widget=TIME)
    closes_date = forms.DateField(label=gettext_lazy("Open tot (datum)"), widget=DATE)
    closes_time = forms.TimeField(label=gettext_lazy("Open tot (tijd)"), widget=TIME)
    who_may_vote = forms.ChoiceField(label=gettext_lazy("Wie mag stemmen?"), choices=WhoMayVote.choices,
                                     widget=forms.RadioSelect, initial=WhoMayVote.RESIDENTS)
    secret = forms.ChoiceField(label=gettext_lazy("Geheim of open?"), choices=SECRET_CHOICES,
                               widget=forms.RadioSelect, initial=CLOSED_BALLOT)
    results_shown = forms.ChoiceField(label=gettext_lazy("Wanneer ziet men de uitslag?"),
                                      choices=ResultsShown.choices, widget=forms.RadioSelect,
                                      initial=ResultsShown.AFTER_CLOSE)
    initiative = forms.TypedChoiceField(label=gettext_lazy("Hoort bij initiatief"), required=False, coerce=int,
                                        empty_value=None)
    page = forms.TypedChoiceField(label=gettext_lazy("Hoort bij pagina"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args, kernen, initiatives=(), pages=(), **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {**_initial_times(), **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.kernen = {(kern.slug if kern is not None else ""): kern for kern in kernen}
        self.fields["kern"].choices = [(kern.slug if kern is not None else "",
                                        kern.name if kern is not None else _("De hele gemeente"))
                                       for kern in kernen]
        self.fields["initiative"].choices = [("", _("Geen initiatief"))] + [
            (item.pk, f"{item.title} ({item.kern.name})") for item in initiatives]
        self.fields["page"].choices = [("", _("Geen pagina"))] + [(page.pk, page.title) for page in pages]
        self.initiatives = {item.pk: item for item in initiatives}
        self.pages = {page.pk: page for page in pages}
        if self.is_bound and self.data.get("kind") == PollKind.SCALE:
            self.fields["options"].required = False  # a scale has no answers to choose from

    def clean_options(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]
        if len(lines) > MAX_OPTIONS:
            raise forms.ValidationError(_("Geef hoogstens 12 antwoorden, één per regel."), code="too_many")
        if any(len(line) > OPTION_MAX for line in lines):
            raise forms.ValidationError(_("Een antwoord is hoogstens 120 tekens."), code="too_long")
        return lines

    def clean(self):
        data = super().clean()
        zone = timezone.get_current_timezone()
        for name in ("opens", "closes"):
            day, moment = data.get(f"{name}_date"), data.get(f"{name}_time")
            if day and moment:
                data[f"{name}_at"] = timezone.make_aware(datetime.combine(day, moment), zone)
        return data

    def service_values(self) -> dict:
        """What ``create_poll``/``change_poll`` take."""
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "kern": self.kernen.get(data["kern"]), "question": data["question"], "intro": data["intro"],
            "kind": kind, "options": data["options"] if kind != PollKind.SCALE else [],
            "max_choices": data.get("max_choices") if kind == PollKind.MULTIPLE else None,
            "scale_size": data.get("scale_size") or 5, "scale_low": data["scale_low"],
            "scale_high": data["scale_high"], "opens_at": data["opens_at"], "closes_at": data["closes_at"],
            "who_may_vote": data["who_may_vote"], "secret": data["secret"] == CLOSED_BALLOT,
            "results_shown": data["results_shown"], "initiative": self.initiatives.get(data.get("initiative")),
            "page": self.pages.get(data.get("page")),
        }


def initial_of(poll) -> dict:
    """The form's fields for an existing poll (precondition: read with its box, kern and options)."""
    box = poll.box
    opens, closes = timezone.localtime(box.opens_at), timezone.localtime(box.closes_at)
    return {"kern": box.kern.slug if box.kern_id else "", "question": poll.question, "intro": poll.intro,
            "kind": poll.kind, "options": "\n".join(option.label for option in poll.options.all()),
            "max_choices": poll.max_choices if poll.kind == PollKind.MULTIPLE else None,
            "scale_size": poll.scale_size, "scale_low": poll.scale_low, "scale_high": poll.scale_high,
            "opens_date": opens.date(), "opens_time": opens.time().replace(second=0, microsecond=0),
            "closes_date": closes.date(), "closes_time": closes.time().replace(second=0, microsecond=0),
            "who_may_vote": box.who_may_vote, "secret": CLOSED_BALLOT if box.secret else "open",
            "results_shown": box.results_shown, "initiative": poll.initiative_id, "page": poll.page_id}
