"""How initiatives and pledges look in /api/v1/. Writes go through the services, never ``.save()``."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from initiatives.models import CouncilAgendaItem, Initiative, InitiativeEvent, Pledge, Theme
from initiatives.money import PLEDGE_MAX, PLEDGE_MIN, parse_euro


@extend_schema_field({"type": "string", "pattern": r"^€?\s?[0-9][0-9., ]*$", "example": "25,50",
                      "description": "Euros: 25, 25,50, 25.50 or € 1.250,50 (no exponents, at most 2 decimals)"})
class EuroAmountField(serializers.Field):
    """An amount in euros, read by ``initiatives.money.parse_euro``: the notations, limits and messages of the
    web forms. Send a string ("25,50", "25.50", "€ 1.250,50") or a JSON number; a number arrives as the text
    the client wrote (``core.parsers.ExactJSONParser``), so ``1e2`` is refused whether it is sent as a string or
    as a number, as on the web."""

    def __init__(self, *, minimum=PLEDGE_MIN, maximum=PLEDGE_MAX, code="amount", **kwargs):
        self.minimum, self.maximum, self.code = Decimal(minimum), Decimal(maximum), code
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, float):  # from a parser other than ExactJSONParser: as Python writes it
            data = repr(data)
        try:
            return parse_euro(data, minimum=self.minimum, maximum=self.maximum, code=self.code)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages[0], code=self.code) from None

    def to_representation(self, value):
        return None if value is None else f"{Decimal(value):.2f}"


class KernSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class InitiativeListSerializer(serializers.ModelSerializer):
    kern = KernSummarySerializer(read_only=True)
    initiator = serializers.CharField(source="initiator.display_name", read_only=True)
    pledged_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    matched_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    supporter_count = serializers.IntegerField(read_only=True)
    pledger_count = serializers.IntegerField(read_only=True, help_text="People (not pledges) with a pledge.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = ["id", "url", "title", "summary", "kern", "theme", "status", "initiator", "goal", "deadline",
                  "pledged_total", "matched_total", "supporter_count", "pledger_count", "latitude", "longitude",
                  "location_label",
                  "published_at"]

    def get_url(self, initiative) -> str:
        return reverse("api:initiatives-detail", kwargs={"pk": initiative.pk})


class CouncilAgendaSerializer(serializers.ModelSerializer):
    """The initiative on its village council's agenda (read only; set by supports and by the council)."""

    class Meta:
        model = CouncilAgendaItem
        fields = ["reached_at", "supporters_at_reach", "meeting_date", "outcome", "outcome_text", "decided_at"]
        read_only_fields = fields


class InitiativeDetailSerializer(InitiativeListSerializer):
    co_initiators = serializers.SerializerMethodField()
    decision_reason = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()
    council_agenda = CouncilAgendaSerializer(read_only=True, allow_null=True,
                                             help_text="Null until enough supporters put it on the agenda.")
    council_threshold = serializers.SerializerMethodField(
        help_text="Supporters that put an initiative of this kern on the council's agenda; null: no threshold.")

    class Meta(InitiativeListSerializer.Meta):
        fields = [*InitiativeListSerializer.Meta.fields, "story", "needs_volunteers", "needs_materials",
                  "result_text", "co_initiators", "reconsideration_requested", "decision_reason", "permissions",
                  "council_agenda", "council_threshold", "created_at", "updated_at"]

    def get_council_threshold(self, initiative) -> int | None:
        from initiatives.selectors import threshold_of

        return threshold_of(initiative.kern)

    def get_co_initiators(self, initiative) -> list[str]:
        return [user.display_name for user in initiative.co_initiators.all()]

    def get_decision_reason(self, initiative) -> str:
        """The council's latest comment: only for those who may see the audit trail."""
        allowed = self.context.get("permissions", {}).get("view_audit_trail", False)
        return initiative.last_decision_reason if allowed else ""

    def get_permissions(self, initiative) -> dict[str, bool]:
        return self.context.get("permissions", {})


class InitiativeWriteSerializer(serializers.Serializer):
    """Fields an initiator may set; all optional on update. Checking and cleaning happen in the service."""

    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    story = serializers.CharField(max_length=50000, required=False, allow_blank=True)
    theme = serializers.ChoiceField(choices=Theme.choices, required=False)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    location_label = serializers.CharField(max_length=400, required=False, allow_blank=True)
    goal = EuroAmountField(minimum=Decimal("1.00"), maximum=Decimal("100000.00"), code="goal", required=False,
                           allow_null=True)
    needs_volunteers = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    needs_materials = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = InitiativeEvent
        fields = ["id", "action", "from_status", "to_status", "reason", "actor", "created_at"]

    def get_actor(self, event) -> str:
        return event.actor.display_name if event.actor_id else ""


class PledgeSerializer(serializers.ModelSerializer):
    initiative_title = serializers.CharField(source="initiative.title", read_only=True)

    class Meta:
        model = Pledge
        fields = ["id", "initiative", "initiative_title", "kind", "amount", "hours", "materials", "message",
                  "status", "created_at", "cancelled_at"]
        read_only_fields = fields


class PledgeCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Pledge.Kind.choices)
    amount = EuroAmountField(required=False, allow_null=True)
    hours = serializers.IntegerField(required=False, allow_null=True)
    materials = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=600, required=False, allow_blank=True, default="")
    confirm_repeat = serializers.BooleanField(
        required=False, default=False,
        help_text="The same pledge was made moments ago (409 possible_duplicate): send true to make it again.")
