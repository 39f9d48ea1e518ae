"""Joining a workshop with its six digits (typed, or from the QR code's link): as oneself, or with a name on
this device, or anonymously. The device keeps its token in a cookie, so a reload finds the same seat."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import error_text
from lab.forms import JoinForm, clean_code
from lab.models import Workshop
from lab.workshops import services
from lab.workshops.seats import DEVICE_COOKIE, set_device_cookie
from lab.workshops.views._common import board_url


def join(request):
    user = request.user
    signed_in = user.is_authenticated
    initial = {"code": clean_code(request.GET.get("code", ""))[:6],
               "display_name": user.first_name if signed_in else ""}
    form = JoinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        workshop = Workshop.objects.filter(join_code=data["code"]).first()
        if workshop is None:
            form.add_error("code", _("Er is geen werksessie met deze code. Kijk de zes cijfers na."))
        else:
            try:
                _seat, token = services.join(user=user, workshop=workshop, display_name=data["display_name"],
                                             anonymous=data["anonymous"],
                                             device_token=request.COOKIES.get(DEVICE_COOKIE, ""))
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_text(error))
            else:
                response = redirect(board_url(workshop))
                if token:
                    set_device_cookie(request, response, token)
                return response
    return render(request, "lab/workshops/join.html", {"form": form, "signed_in": signed_in},
                  status=400 if form.errors else 200)
