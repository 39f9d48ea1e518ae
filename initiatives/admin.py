"""Django admin for staff: match funds (created and topped up through the services), payments (marked paid
through the service), and read-only views of initiatives and pledges. State changes never happen here."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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


@admin.register(MatchFund)
class MatchFundAdmin(admin.ModelAdmin):
    list_display = ["name", "kern", "theme", "budget", "balance", "ratio", "cap_per_initiative", "is_active"]
    list_filter = ["is_active", "kern"]
    fields = ["name", "kern", "theme", "budget", "ratio", "cap_per_initiative", "is_active", "balance"]

    def get_readonly_fields(self, request, obj=None):
        # The balance only moves through reservations; the budget of an existing fund only through top-ups
        # (so balance and budget stay consistent).
        return ["balance", "budget"] if obj else ["balance"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.balance = obj.budget
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


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
