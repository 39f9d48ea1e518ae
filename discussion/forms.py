from django import forms
from django.utils.translation import gettext_lazy as _

from discussion.services import MAX_BODY


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Uw reactie"), max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Noem iemand met @ en de naam, bijvoorbeeld @Jan de Vries."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def kept_as(self) -> tuple:
        """Its empty fields look the same to everyone ({% form_fields %})."""
        return ()


class EditForm(forms.Form):
    body = forms.CharField(label=_("Uw reactie"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 4}))


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Wat is er mis met deze reactie?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De dorpsraad leest uw melding. De schrijver ziet niet wie meldde."),
    )


class ModerateForm(forms.Form):
    ACTIONS = [
        ("hide", _("Verbergen")), ("restore", _("Weer tonen")), ("dismiss", _("Melding afhandelen zonder actie")),
    ]
    action = forms.ChoiceField(label=_("Wat doet u?"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reden"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("De schrijver ziet deze reden."),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reden van sluiten"), max_length=300, required=False)


class BlockForm(forms.Form):
    reason = forms.CharField(label=_("Reden van blokkeren"), max_length=300)
