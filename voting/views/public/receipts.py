"""Check a receipt: is my ballot in the count? The answer is yes or "not found", never what the ballot says."""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voting.api.throttles import ReceiptThrottle, allowed
from voting.models import BallotBox
from voting.services.casting import receipt_counted

MAX_BOXES = 100  # the most recent ones; older votes are long published
RECEIPT_MAX = 64
TOO_OFTEN = gettext_lazy("U heeft dit kort na elkaar al vaak geprobeerd. Wacht een paar minuten en probeer het "
                         "opnieuw.")


def choosable_boxes() -> list[BallotBox]:
    """Boxes that have opened (open or closed), newest first, with their poll or budget and kern."""
    return list(BallotBox.objects.filter(opens_at__lte=timezone.now()).select_related("poll", "budget", "kern")
                .order_by("-closes_at", "-pk")[:MAX_BOXES])


def box_label(box: BallotBox) -> str:
    place = box.kern.name if box.kern_id else _("hele gemeente")
    subject = box.subject or _("Stemming")
    return f"{subject} ({place})"


class ReceiptForm(forms.Form):
    box = forms.TypedChoiceField(label=gettext_lazy("Bij welke stemming hoort de code?"), coerce=int,
                                 error_messages={"invalid_choice": gettext_lazy("Kies een stemming uit de lijst.")})
    receipt = forms.CharField(label=gettext_lazy("Uw ontvangstcode"), max_length=RECEIPT_MAX,
                              help_text=gettext_lazy("U kreeg deze code na het stemmen. Bijvoorbeeld: "
                                                     "K7QM-2XPA-9RTD-4HVN."))

    def __init__(self, *args, boxes: list[BallotBox], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["box"].choices = [("", _("Kies een stemming")), *((box.pk, box_label(box)) for box in boxes)]
        self.fields["receipt"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false",
                                                    "autocapitalize": "characters"})


def check_receipt(request):
    boxes = choosable_boxes()
    by_id = {box.pk: box for box in boxes}
    chosen = request.GET.get("stembus", "")
    form = ReceiptForm(request.POST if request.method == "POST" else None, boxes=boxes,
                       initial={"box": int(chosen) if chosen.isdigit() and int(chosen) in by_id else ""})
    counted, status = None, 200
    if request.method == "POST":
        allow, _wait = allowed(ReceiptThrottle, request)
        if not allow:
            form.add_error(None, TOO_OFTEN)
            status = 429
        elif form.is_valid():
            counted = receipt_counted(by_id[form.cleaned_data["box"]], form.cleaned_data["receipt"])
        else:
            status = 400
    return render(request, "voting/public/check_receipt.html", {"form": form, "counted": counted,
                                                                  "checked": counted is not None}, status=status)
