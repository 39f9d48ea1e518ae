from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import CallbackRequest, HelpTopic, Kern, User


class SignupExtraForm(forms.Form):
    """What allauth's sign-up asks beyond e-mail and password: the name we greet you by."""

    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=150,
        help_text=_("Zo spreken we u aan."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    field_order = ["first_name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"].strip()
        user.save(update_fields=["first_name"])


class KernChoiceForm(forms.Form):
    kern = forms.ModelChoiceField(
        label=_("In welke kern woont u?"),
        queryset=Kern.objects.order_by("name"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Kies de kern waar u woont."), "invalid_choice": _("Kies een kern uit de lijst."),
        },
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "first_name", "last_name", "address_as", "kern", "postcode", "phone",
            "preferred_language", "large_text", "email_notifications",
        ]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "address_as": forms.RadioSelect,
        }
        labels = {"address_as": _("Hoe spreken we u aan?")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form sent without it (an older page, a script) keeps what the person chose before.
        self.fields["address_as"].required = False

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].replace(" ", "").upper()
        if postcode and not (len(postcode) == 6 and postcode[:4].isdigit() and postcode[4:].isalpha()):
            raise forms.ValidationError(_("Een postcode ziet eruit als 1234 AB."))
        return postcode


class CallbackForm(forms.ModelForm):
    """Ask for a call-back. For a signed-in resident, what we know is filled in already."""

    topic = forms.ModelChoiceField(
        label=_("Onderwerp"), queryset=HelpTopic.objects.all(), required=False, empty_label=_("Weet ik niet / anders")
    )

    class Meta:
        model = CallbackRequest
        fields = ["name", "phone", "email", "kern", "topic", "message", "channel", "preferred_moment"]
        widgets = {
            "channel": forms.RadioSelect,
            "preferred_moment": forms.RadioSelect,
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }
        help_texts = {"email": _("Niet verplicht.")}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = [c for c in phone if c.isdigit()]
        if len(digits) < 10 or any(c not in "0123456789+-() " for c in phone):
            raise forms.ValidationError(
                _("Vul een telefoonnummer in van minstens 10 cijfers, bijvoorbeeld 0184 123456.")
            )
        return phone


class CallbackHandleForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CallbackRequest.Status.choices)
    hand_to = forms.ModelChoiceField(
        label=_("Doorgeven aan"), required=False, empty_label=_("Niet doorgeven"),
        queryset=User.objects.filter(is_staff=True, is_active=True).order_by("first_name", "last_name"),
    )
    note = forms.CharField(
        label=_("Notitie"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EraseAccountForm(forms.Form):
    """Erasing is final: ask for the password and an explicit confirmation."""

    password = forms.CharField(
        label=_("Uw wachtwoord"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(label=_("Ja, verwijder mijn account en mijn gegevens"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet."))
        return password


class NotificationSettingsForm(forms.Form):
    """Per kind of event that can reach this person: how they want to hear of it by e-mail."""

    def __init__(self, *args, user, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        from community.models import Delivery
        from community.notifications.kinds import Audience, all_kinds

        self.groups = []
        for audience in Audience.ORDER:
            if not Audience.applies_to(audience, user):
                continue
            names = []
            for kind in (k for k in all_kinds() if k.audience == audience):
                self.fields[kind.key] = forms.ChoiceField(
                    label=kind.label, choices=Delivery.choices, initial=current.get(kind.key, kind.default),
                    widget=forms.RadioSelect,
                )
                names.append(kind.key)
            if names:
                self.groups.append((Audience.LABELS[audience], names))

    def grouped(self):
        """``[(heading, [bound field, …]), …]`` in the order of the page."""
        return [(heading, [self[name] for name in names]) for heading, names in self.groups]
