"""Django admin for staff: match funds (created, changed and topped up through the services, with their
books), payments (marked paid through the service), and read-only views of initiatives and pledges.
State changes never happen here."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.permissions import may
from initiatives import services
from initiatives.models import Initiative, InitiativeEvent, MatchFund, MatchReservation, Payment, Pledge


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = InitiativeEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "action", "from_status", "to_status", "reason"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin):
    list_display = ["title", "kern", "status", "goal", "deadline", "initiator"]
    list_filter = ["status", "theme", "kern"]
    list_select_related = ["kern", "initiator"]
    search_fields = ["title", "summary"]
    inlines = [EventInline]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["pk", "initiative", "pledger", "kind", "amount", "hours", "status", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["initiative", "pledger"]


class MatchFundForm(forms.ModelForm):
    """Shape only; the services check the rest. ``top_up`` raises budget and balance through ``add_to_budget``."""

    top_up = forms.DecimalField(label=_("Budget ophogen met (euro)"), required=False, min_value=Decimal("0.01"),
                                max_digits=12, decimal_places=2,
                                help_text=_("Laat leeg om het budget zo te laten."))

    class Meta:
        model = MatchFund
        fields = ["name", "kern", "theme", "budget", "ratio", "cap_per_initiative", "cap_per_person", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "cap_per_person" in self.fields:
            self.fields["cap_per_person"].required = False
            self.fields["cap_per_person"].help_text = _(
                "Hoeveel matching één persoon bij één initiatief hoogstens oplevert. Leeg: € 250, of het maximum "
                "per initiatief als dat lager is.")


MANAGE_FUNDS = "initiatives.manage_match_funds"


@admin.register(MatchFund)
class MatchFundAdmin(admin.ModelAdmin):
    """Who may see and manage funds is the rule ``initiatives.manage_match_funds`` (no superuser bypass);
    every change goes through ``initiatives.services.funds``. The list shows the books per fund in one query."""

    form = MatchFundForm
    list_display = ["name", "kern", "theme", "budget", "reserved_display", "committed_display", "returned_display",
                    "left_display", "ratio", "cap_per_initiative", "cap_per_person", "is_active"]
    list_filter = ["is_active", "kern"]
    list_select_related = ["kern"]

    def get_queryset(self, request):
        return services.fund_figures(super().get_queryset(request))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "kern", "theme", "budget", "ratio", "cap_per_initiative", "cap_per_person", "is_active"]
        return ["name", "is_active", "cap_per_initiative", "cap_per_person", "top_up", "kern", "theme", "ratio",
                "budget", "reserved_display", "committed_display", "returned_display", "left_display"]

    def get_readonly_fields(self, request, obj=None):
        # Kern, theme and ratio are what pledges were matched under; budget and balance move only through
        # top-ups and reservations (so the books stay consistent).
        if obj is None:
            return []
        return ["kern", "theme", "ratio", "budget", "reserved_display", "committed_display", "returned_display",
                "left_display"]

    def _may(self, request) -> bool:
        return may(request.user, MANAGE_FUNDS)

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request)

    def has_add_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return self._may(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if not change:
                saved = services.create_match_fund(
                    actor=request.user, name=data["name"], budget=data["budget"], ratio=data["ratio"],
                    cap_per_initiative=data["cap_per_initiative"], cap_per_person=data.get("cap_per_person"),
                    kern=data.get("kern"), theme=data.get("theme") or "", is_active=data.get("is_active", True))
            else:
                saved = services.update_match_fund(
                    actor=request.user, fund=MatchFund.objects.get(pk=obj.pk), name=data["name"],
                    is_active=data.get("is_active", False), cap_per_initiative=data["cap_per_initiative"],
                    cap_per_person=data["cap_per_person"])
                if data.get("top_up"):
                    saved = services.add_to_budget(actor=request.user, fund=saved, amount=data["top_up"])
        except (ValidationError, PermissionDenied) as error:
            raise PermissionDenied(" ".join(getattr(error, "messages", [str(error)]))) from error
        for field in MatchFund._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))

    def _figure(self, obj, name):
        value = getattr(obj, name, None)
        if value is None:  # a single fund fetched without the annotations
            value = getattr(services.fund_figures(MatchFund.objects.filter(pk=obj.pk)).get(), name)
        return value

    @admin.display(description=_("gereserveerd"))
    def reserved_display(self, obj):
        return self._figure(obj, "reserved")

    @admin.display(description=_("toegekend"))
    def committed_display(self, obj):
        return self._figure(obj, "committed")

    @admin.display(description=_("teruggegeven"))
    def returned_display(self, obj):
        return self._figure(obj, "returned")

    @admin.display(description=_("nog over"), ordering="balance")
    def left_display(self, obj):
        return obj.balance


@admin.register(MatchReservation)
class MatchReservationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "fund", "initiative", "amount", "status", "created_at"]
    list_filter = ["status", "fund"]
    list_select_related = ["fund", "initiative"]


@admin.action(description=_("Markeren als betaald (overboeking ontvangen)"))
def mark_paid(modeladmin, request, queryset):
    done = 0
    for payment in queryset:
        try:
            services.mark_payment_paid(actor=request.user, payment=payment)
            done += 1
        except (PermissionDenied, ValidationError) as error:
            modeladmin.message_user(request, f"{payment.reference or payment.pk}: {error}", messages.ERROR)
    modeladmin.message_user(request, ngettext("%(n)d betaling als betaald gemarkeerd.",
                                              "%(n)d betalingen als betaald gemarkeerd.", done) % {"n": done})


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "pledge", "amount", "provider", "status", "paid_at"]
    list_filter = ["status", "provider"]
    search_fields = ["reference"]
    actions = [mark_paid]
