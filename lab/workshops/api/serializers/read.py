"""How workshops, boards and cards look in /api/v1/ (the payloads of ``lab.workshops.services.payloads``, so
the API and the live stream say the same about a card). No answer carries a device token."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lab.models import (
    FeelingKind,
    FollowUpKind,
    FollowUpStatus,
    LaneKind,
    Phase,
    ResultsVisibility,
    WorkshopState,
)
from lab.workshops.services import stream_of
from lab.workshops.services.payloads import workshop_state_payload

CODE_DIGITS = re.compile(r"^\d{6}$")
# A code may be typed with spaces or a dash between the digits ("123 456"), as it is shown big on the screen.
CODE_SEPARATORS = re.compile(r"[\s-]")


# --- Reading ------------------------------------------------------------------------------------------------

class KernSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class FacilitatorSerializer(serializers.Serializer):
    name = serializers.CharField(source="display_name")


class WorkshopPhotoSizeSerializer(serializers.Serializer):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class WorkshopPhotoSerializer(serializers.Serializer):
    """``WithPhoto.photo_payload``: one cleaned photo (no EXIF, no GPS) in every stored size. Its files are served
    only to whom may see what it belongs to."""

    url = serializers.CharField(help_text="The smallest size, fit for a phone.")
    large_url = serializers.CharField(help_text="The largest size, for zooming in.")
    alt = serializers.CharField(help_text="What the photo shows, for who cannot see it (may be empty).")
    renditions = WorkshopPhotoSizeSerializer(many=True, help_text="Every size, smallest first (for srcset).")


class PersonaSerializer(serializers.Serializer):
    name = serializers.CharField()
    situation = serializers.CharField()
    needs = serializers.CharField()
    photo = serializers.SerializerMethodField(help_text="A photo or drawing of the persona; null: none.")

    @extend_schema_field(WorkshopPhotoSerializer(allow_null=True))
    def get_photo(self, persona):
        return persona.photo_payload()


class StageSerializer(serializers.Serializer):
    """``payloads.stage_payload``."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    order = serializers.IntegerField()


class LaneSerializer(serializers.Serializer):
    """``payloads.lane_payload``."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=LaneKind.choices)
    title = serializers.CharField()
    order = serializers.IntegerField()
    locked = serializers.BooleanField()
    votable = serializers.BooleanField(help_text="Whether its cards can get dots (pain points, ideas).")


class LiveStateSerializer(serializers.Serializer):
    """``payloads.workshop_state_payload``: the facilitator's controls as every device shows them."""

    state = serializers.ChoiceField(choices=WorkshopState.choices)
    phase = serializers.ChoiceField(choices=Phase.choices)
    revealed = serializers.BooleanField()
    board_locked = serializers.BooleanField()
    votes_shown = serializers.BooleanField()
    dots_per_participant = serializers.IntegerField()
    timer_ends_at = serializers.DateTimeField(allow_null=True, help_text="The moment the countdown ends.")
    spotlight = serializers.IntegerField(allow_null=True, help_text="The card shown big on every screen.")
    focus_stage = serializers.IntegerField(allow_null=True, help_text="The stage every phone shows.")


class CardSerializer(serializers.Serializer):
    """``payloads.card_payload`` (or ``own_card_payload`` for its author and the facilitators). A private card of
    someone else has only its place: no ``text``, ``group``, ``author``, ``author_id`` or ``photo``."""

    id = serializers.IntegerField()
    stage = serializers.IntegerField()
    lane = serializers.IntegerField()
    private = serializers.BooleanField(help_text="Written in the silent brainstorm and not revealed yet.")
    merged_into = serializers.IntegerField(allow_null=True)
    order = serializers.IntegerField()
    text = serializers.CharField(required=False)
    group = serializers.CharField(required=False)
    author_id = serializers.IntegerField(required=False, allow_null=True,
                                         help_text="The seat that wrote it (null: part of the journey laid out "
                                                   "in advance).")
    author = serializers.CharField(required=False, help_text="The seat's public name; \"Deelnemer\" when "
                                                             "anonymous.")
    photo = WorkshopPhotoSerializer(required=False, allow_null=True,
                            help_text="The card's photo (null: none); there exactly when the text is.")

    def to_representation(self, instance):
        return dict(instance)  # the payload as the stream has it: a field it leaves out stays out


class WorkshopSerializer(serializers.Serializer):
    """A workshop as everyone may see it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    service = serializers.CharField()
    customer_group = serializers.CharField()
    description = serializers.CharField()
    kern = KernSerializer(allow_null=True, help_text="null: the whole municipality.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    online_url = serializers.CharField()
    state = serializers.ChoiceField(choices=WorkshopState.choices)
    phase = serializers.ChoiceField(choices=Phase.choices)
    results_visibility = serializers.ChoiceField(choices=ResultsVisibility.choices)
    facilitators = FacilitatorSerializer(many=True)
    url = serializers.SerializerMethodField()

    def get_url(self, workshop) -> str:
        return reverse("lab:workshop", kwargs={"pk": workshop.pk})


class WorkshopDetailSerializer(WorkshopSerializer):
    join_code = serializers.SerializerMethodField(help_text="The six digits to join with; null once it ended.")
    personas = PersonaSerializer(many=True)
    stages = StageSerializer(many=True)
    lanes = LaneSerializer(many=True)
    live = serializers.SerializerMethodField()
    stream = serializers.SerializerMethodField(help_text="The live stream: connect to /ws/werksessie/<id>/.")

    def get_join_code(self, workshop) -> str | None:
        return None if workshop.state == WorkshopState.ENDED else workshop.join_code

    @extend_schema_field(LiveStateSerializer)
    def get_live(self, workshop):
        return workshop_state_payload(workshop)

    def get_stream(self, workshop) -> str:
        return stream_of(workshop)


class SeatSerializer(serializers.Serializer):
    """The viewer's own seat: never its device token."""

    id = serializers.IntegerField()
    workshop = serializers.IntegerField(source="workshop_id")
    name = serializers.CharField(source="public_name")
    anonymous = serializers.BooleanField()


class CurvePointSerializer(serializers.Serializer):
    stage = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FeelingKind.choices)
    average = serializers.FloatField()
    count = serializers.IntegerField()


class FeelingSerializer(serializers.Serializer):
    stage = serializers.IntegerField(source="stage_id")
    kind = serializers.ChoiceField(choices=FeelingKind.choices)
    score = serializers.IntegerField()


class DotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    card = serializers.IntegerField(source="card_id")
    client_id = serializers.UUIDField()


class ViewerSerializer(serializers.Serializer):
    seat = SeatSerializer(allow_null=True, help_text="null: watching without a seat (staff, a facilitator).")
    facilitator = serializers.BooleanField(help_text="Runs this workshop (lab.run_workshop).")


class BoardSerializer(serializers.Serializer):
    """The board as the viewer may see it. Connect to the stream with ``?after=<last_seq>``."""

    workshop = serializers.IntegerField()
    last_seq = serializers.IntegerField(help_text="The stream's last sequence number, read before the board.")
    live = LiveStateSerializer()
    viewer = ViewerSerializer()
    stages = StageSerializer(many=True)
    lanes = LaneSerializer(many=True)
    cards = CardSerializer(many=True)
    curve = CurvePointSerializer(many=True, help_text="Per stage and kind: the average and how many placed one.")
    my_feelings = FeelingSerializer(many=True)
    my_dots = DotSerializer(many=True)
    dots_left = serializers.IntegerField(allow_null=True)
    votes = serializers.DictField(child=serializers.IntegerField(), allow_null=True,
                                  help_text="Dots per card id; null until the facilitator shows the result.")


class ResultsSerializer(serializers.Serializer):
    workshop = WorkshopSerializer()
    summary = serializers.CharField()
    stages = StageSerializer(many=True)
    lanes = LaneSerializer(many=True)
    cards = CardSerializer(many=True, help_text="The shared cards of the journey.")
    curve = CurvePointSerializer(many=True)
    votes = serializers.DictField(child=serializers.IntegerField(), allow_null=True,
                                  help_text="Dots per card id; null unless the result was shown (lab.view_votes).")


class ControlResultSerializer(serializers.Serializer):
    live = LiveStateSerializer()
    stage = StageSerializer(allow_null=True, help_text="The stage added (add_stage).")
    lane = LaneSerializer(allow_null=True, help_text="The lane added or (un)locked.")


class ExportSerializer(serializers.Serializer):
    """One file to take away, as the results page offers it."""

    name = serializers.CharField(help_text="poster.pdf, verslag.pdf, kaart.png, kaartjes.csv or klantreis.json.")
    media_type = serializers.CharField()
    title = serializers.CharField(help_text="What it is, in the site's language.")
    lane = serializers.IntegerField(allow_null=True, help_text="kaartjes.csv of one lane (its position, `rij`); "
                                                               "null: the whole journey.")
    url = serializers.CharField(help_text="Where to fetch it (this API).")
    page_url = serializers.CharField(help_text="The same file from the site (site-relative).")


class ExportsSerializer(serializers.Serializer):
    workshop = serializers.IntegerField()
    exports = ExportSerializer(many=True)
    journey_schema = serializers.CharField(help_text="The JSON Schema of klantreis.json (site-relative).")


class ExportQuery(serializers.Serializer):
    rij = serializers.IntegerField(required=False, min_value=0,
                                   help_text="kaartjes.csv only: one lane, by its position (0 is the first).")


class InitiativeLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")


class FollowUpSerializer(serializers.Serializer):
    """What happens with an idea, as the results page shows it: never who wrote the idea, nor who decided."""

    id = serializers.IntegerField()
    card = serializers.IntegerField(source="card_id")
    idea = serializers.CharField(source="card.text", help_text="The idea (or pain point) as it is on the board.")
    kind = serializers.ChoiceField(choices=FollowUpKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.SerializerMethodField(help_text="The draft initiative's title, or what the municipality "
                                                        "is going to do.")
    status = serializers.ChoiceField(choices=FollowUpStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    note = serializers.CharField()
    initiative = InitiativeLinkSerializer(allow_null=True, help_text="The draft initiative; null for an action.")
    updated_at = serializers.DateTimeField()

    def get_title(self, follow_up) -> str:
        return follow_up.initiative.title if follow_up.initiative_id else follow_up.title


# --- Writing ------------------------------------------------------------------------------------------------

class WorkshopQuery(serializers.Serializer):
    kern = serializers.SlugField(required=False, help_text="Slug of a kern; `gemeente` for the whole municipality.")
    state = serializers.ChoiceField(choices=WorkshopState.choices, required=False)

    def to_internal_value(self, data):
        blank = {name: [_("Laat dit weg of kies een waarde.")] for name in self.fields if data.get(name) == ""}
        if blank:
            raise serializers.ValidationError(blank)
        return super().to_internal_value(data)
