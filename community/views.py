"""Thin views: check the rule, call one service, render."""

from allauth.account.views import SignupView as AllauthSignupView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from community import dashboard, privacy, selectors, services
from community.forms import (
    CallbackForm,
    CallbackHandleForm,
    EraseAccountForm,
    KernChoiceForm,
    NotificationSettingsForm,
    ProfileForm,
)
from community.models import CallbackRequest, Notification, User
from community.notifications import services as notification_services
from community.notifications.email import read_unsubscribe_token
from community.notifications.kinds import all_kinds
from community.notifications.kinds import get as get_kind
from core import throttle
from core.permissions import require


def _require(user, perm, obj=None):
    require(user, perm, obj)


@login_required
def personal_home(request):
    """Mijn Samenlab: "Goedemorgen heer De Vries, welkom terug", what changed, and what waits, from every app.

    A new resident first picks a kern.
    """
    if request.user.kern_id is None:
        return redirect("community:choose_kern")
    visitor = dashboard.Visitor(user=request.user, since=request.visit_since)
    return render(request, "community/personal_home.html", {
        "greeting": selectors.greeting_for(), "kern": request.user.kern, "returning": request.visit_is_return,
        "waiting": dashboard.waiting_for(visitor), "sections": dashboard.sections_for(visitor),
    })


@login_required
def choose_kern(request):
    form = KernChoiceForm(request.POST or None, initial={"kern": request.user.kern_id})
    if request.method == "POST" and form.is_valid():
        services.choose_kern(user=request.user, kern=form.cleaned_data["kern"])
        messages.success(request, _("Welkom in %(kern)s!") % {"kern": form.cleaned_data["kern"].name})
        return redirect("community:home")
    return render(request, "community/choose_kern.html", {"form": form})


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_profile(
            user=user, first_name=data["first_name"], last_name=data["last_name"], kern=data["kern"],
            postcode=data["postcode"], phone=data["phone"], preferred_language=data["preferred_language"],
            large_text=data["large_text"], email_notifications=data["email_notifications"],
            address_as=data["address_as"] or None,
        )
        messages.success(request, _("Uw gegevens zijn opgeslagen."))
        response = redirect("community:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, data["preferred_language"], samesite="Lax")
        return response
    return render(request, "community/profile.html", {"form": form})


def contact(request):
    """Staff with a face, and a "bel mij terug" form that asks nothing we already know."""
    user = request.user
    initial = {}
    if user.is_authenticated:
        initial = {"name": user.get_full_name() or user.first_name, "phone": user.phone, "email": user.email,
                   "kern": user.kern_id}
    form = CallbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not throttle.allow(request, throttle.callback_action(user)):
            form.add_error(None, throttle.too_often_message())  # nothing is stored
            return render(request, "community/contact.html", {"form": form, "staff": selectors.public_staff()},
                          status=throttle.TOO_OFTEN_STATUS)
        data = form.cleaned_data
        callback = services.request_callback(
            requester=user if user.is_authenticated else None, name=data["name"], phone=data["phone"],
            email=data["email"], kern=data["kern"], topic=data["topic"], message=data["message"],
            preferred_moment=data["preferred_moment"], channel=data["channel"],
        )
        messages.success(request, _("Dank u wel. U hoort uiterlijk %(date)s van ons.")
                         % {"date": date_format(callback.answer_by, "l j F")})
        return redirect("community:contact")
    return render(request, "community/contact.html", {"form": form, "staff": selectors.public_staff(),
                                                      "promises": selectors.service_promises()})


class SignupView(AllauthSignupView):
    """allauth's sign-up, throttled per address and per browser session; the form says so (429)."""

    def form_valid(self, form):
        if not throttle.allow(self.request, throttle.SIGNUP):
            form.add_error(None, throttle.too_often_message())  # no account is made
            response = self.form_invalid(form)
            response.status_code = throttle.TOO_OFTEN_STATUS
            return response
        return super().form_valid(form)


signup = SignupView.as_view()


@login_required
def staff_desk(request):
    _require(request.user, "community.view_callback_list")
    return render(request, "community/staff_desk.html", {
        "callbacks": selectors.callbacks_for_staff(), "handle_form": CallbackHandleForm(),
        "colleagues": CallbackHandleForm.base_fields["hand_to"].queryset.all(), "today": timezone.localdate(),
        "has_mfa": selectors.has_two_step_verification(request.user),
    })


@login_required
@require_POST
def handle_callback(request, pk):
    callback = get_object_or_404(CallbackRequest, pk=pk)
    _require(request.user, "community.handle_callbackrequest", callback)
    form = CallbackHandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een geldige status en, als u het doorgeeft, een collega."))
        return redirect("community:staff_desk")
    try:
        services.handle_callback(actor=request.user, callback=callback, status=form.cleaned_data["status"],
                                 note=form.cleaned_data["note"], hand_to=form.cleaned_data["hand_to"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Terugbelverzoek bijgewerkt."))
    return redirect("community:staff_desk")


@login_required
def residents_to_confirm(request):
    _require(request.user, "community.view_residents_to_confirm")
    return render(request, "community/residents_to_confirm.html",
                  {"residents": selectors.residents_to_confirm(request.user)})


@login_required
@require_POST
def confirm_residency(request, pk):
    resident = get_object_or_404(User, pk=pk, is_active=True)
    _require(request.user, "community.confirm_residency", resident)
    services.confirm_residency(actor=request.user, resident=resident)
    messages.success(request, _("%(name)s is bevestigd als bewoner.") % {"name": resident.display_name})
    return redirect("community:residents_to_confirm")


NOTIFICATIONS_PER_PAGE = 30


def _int_field(value) -> int | None:
    """A database id from a form, or None for anything else (text, negative, too large)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@login_required
def notifications(request):
    """The notification centre. Only reads: marking read is a POST, up to the newest item this page showed."""
    only_unread = request.GET.get("toon") == "ongelezen"
    mine = Notification.objects.filter(recipient=request.user).select_related("kern")
    page = Paginator(mine.unread() if only_unread else mine, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("pagina"))
    items = list(page.object_list)
    return render(request, "community/notifications.html", {
        "items": items, "page": page, "only_unread": only_unread,
        "newest_id": max((n.pk for n in items), default=0),
        "unread": any(n.is_unread for n in items),
    })


@login_required
@require_POST
def mark_notifications_read(request):
    up_to_id = _int_field(request.POST.get("up_to_id"))
    if up_to_id is None:
        messages.error(request, _("Dat ging niet goed. Laad de pagina opnieuw en probeer het nog eens."))
        return redirect("community:notifications")
    notification_services.mark_read(user=request.user, up_to_id=up_to_id)
    messages.success(request, _("Uw meldingen zijn als gelezen gemarkeerd."))
    return redirect("community:notifications")


@login_required
@require_POST
def open_notification(request, pk):
    """Mark one notification read and go where it points (only to an address on this site)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_services.mark_read(user=request.user, notification_id=notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()},
                                                            require_https=request.is_secure()):
        return redirect(notification.url)
    return redirect("community:notifications")


@login_required
def notification_settings(request):
    form = NotificationSettingsForm(request.POST or None, user=request.user,
                                    current=notification_services.effective_deliveries(request.user))
    if request.method == "POST" and form.is_valid():
        notification_services.set_deliveries(user=request.user, deliveries=form.cleaned_data)
        messages.success(request, _("Uw keuzes zijn opgeslagen."))
        return redirect("community:notification_settings")
    return render(request, "community/notification_settings.html", {
        "form": form, "email_on": request.user.email_notifications,
    })


@csrf_exempt  # the token is the proof; mail programs send the one-click POST without a session (RFC 8058)
def unsubscribe(request, token):
    """One-click unsubscribe from an e-mail, without logging in. GET asks, POST does it."""
    try:
        user_id, kind = read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or (kind is not None and kind not in {k.key for k in all_kinds()}):
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    kind_label = get_kind(kind).label if kind else ""
    if request.method == "POST":
        notification_services.unsubscribe(user=user, kind=kind)
        return render(request, "community/unsubscribe.html", {"done": True, "kind_label": kind_label})
    return render(request, "community/unsubscribe.html", {"kind_label": kind_label})


@login_required
def export_my_data(request):
    """Everything we hold about the signed-in resident, as a JSON download."""
    _require(request.user, "community.export_own_data", request.user)
    response = JsonResponse(privacy.export_all(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="mijn-samenlab-gegevens.json"'
    return response


@login_required
def erase_my_account(request):
    form = EraseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        _require(request.user, "community.erase_own_account", request.user)
        privacy.erase_account(user=request.user)
        logout(request)
        messages.success(request, _("Uw account en gegevens zijn verwijderd. Bedankt dat u meedeed."))
        return redirect("/")
    return render(request, "community/erase_account.html", {"form": form})


@require_POST
def set_language(request):
    """Django's language switch; a signed-in resident's choice is also remembered in their profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.set_preferred_language(user=request.user, language=language)
    return response
