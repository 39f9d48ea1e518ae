"""The three taps and the optional text. The service checks the same again: the form only speaks first."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lab.models import QUESTIONS, TEXT_MAX_LENGTH


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Wilt u nog iets zeggen?"), required=False, max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX_LENGTH}),
        help_text=_("Noem geen namen. Uw antwoord is anoniem."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taps = {
            name: forms.ChoiceField(label=question, choices=options.choices, widget=forms.RadioSelect,
                                    error_messages={"required": _("Kies één antwoord."),
                                                    "invalid_choice": _("Kies één antwoord.")})
            for name, question, options in QUESTIONS
        }
        self.fields = {**taps, "text": self.fields["text"]}

    def taps(self):
        return [self[name] for name, _question, _options in QUESTIONS]
