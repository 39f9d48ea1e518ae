"""What a write to /api/v1/ may send (writes go through ``lab.workshops.services``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from initiatives.images import NOT_AN_IMAGE, ImageRejected, process_image
from lab.models import (
    CARD_TEXT_MAX,
    FEELING_MAX,
    FEELING_MIN,
    NAME_MAX,
    FeelingKind,
    LaneKind,
    Phase,
)
from lab.models.photos import PHOTO_ALT_MAX
from lab.workshops.api.serializers.read import CODE_DIGITS, CODE_SEPARATORS, DotSerializer
from lab.workshops.services.workshops import MAX_TIMER_SECONDS


class JoinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text="The six digits shown by the facilitator.")
    display_name = serializers.CharField(max_length=NAME_MAX, required=False, allow_blank=True, default="",
                                         help_text="Needed without an account, unless anonymous.")
    anonymous = serializers.BooleanField(required=False, default=False,
                                         help_text="Take part without a name: nothing links your cards to you.")

    def validate_code(self, value):
        code = CODE_SEPARATORS.sub("", value)
        if not CODE_DIGITS.match(code):
            raise serializers.ValidationError(_("De code bestaat uit zes cijfers."))
        return code


class PhotoUploadField(serializers.FileField):
    """A photo sent as multipart/form-data; its value is the cleaned ``ProcessedImage`` (``process_image``: judged
    by content, at most 10 MB and 40 megapixels, EXIF and GPS removed). A refusal names the reason."""

    default_error_messages = {"invalid": NOT_AN_IMAGE, "no_name": NOT_AN_IMAGE,
                              "empty": _("Het bestand is leeg. Kies een foto.")}

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        try:
            return process_image(upload)
        except ImageRejected as rejected:
            raise serializers.ValidationError(rejected.messages, code=rejected.code) from None


def _photo_field(**kwargs) -> PhotoUploadField:
    return PhotoUploadField(required=False, help_text="A JPEG, PNG or WebP of at most 10 MB, sent as "
                                                      "multipart/form-data. Stored without EXIF or GPS.", **kwargs)


def _alt_field(**kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=PHOTO_ALT_MAX, required=False, allow_blank=True,
                                 help_text="What the photo shows, for who cannot see it.", **kwargs)


class CardCreateSerializer(serializers.Serializer):
    """One card, as JSON or (with a photo) as multipart/form-data; ``client_id`` (a UUID made on the phone) makes
    every retry return the first one (with the first one's photo)."""

    stage = serializers.IntegerField(min_value=1)
    lane = serializers.IntegerField(min_value=1)
    text = serializers.CharField(max_length=CARD_TEXT_MAX)
    client_id = serializers.UUIDField()
    photo = _photo_field()
    photo_alt = _alt_field(default="")


class CardChangeSerializer(serializers.Serializer):
    """The author changes the text or the photo (a new ``photo`` as multipart/form-data, ``photo_alt``,
    ``remove_photo``); a facilitator may also move the card (``stage`` and ``lane``) or group it."""

    text = serializers.CharField(max_length=CARD_TEXT_MAX, required=False)
    stage = serializers.IntegerField(min_value=1, required=False)
    lane = serializers.IntegerField(min_value=1, required=False)
    group = serializers.CharField(max_length=80, required=False, allow_blank=True,
                                  help_text="A group name for the card (facilitators); empty: no group.")
    photo = _photo_field()
    photo_alt = _alt_field()
    remove_photo = serializers.BooleanField(required=False, help_text="Take the card's photo off.")

    def validate(self, attrs):
        if attrs.get("remove_photo") is False:  # multipart says "false" for a box not sent: nothing to change
            del attrs["remove_photo"]
        if attrs.get("photo") is not None and attrs.get("remove_photo"):
            raise serializers.ValidationError({"remove_photo": [_("Stuur een nieuwe foto of haal de foto weg. "
                                                                  "Allebei tegelijk kan niet.")]})
        if not attrs:
            raise serializers.ValidationError(_("Geef op wat er verandert."))
        if ("stage" in attrs) != ("lane" in attrs):
            raise serializers.ValidationError(_("Geef bij verplaatsen een fase en een rij op."))
        return attrs


class FeelingWriteSerializer(serializers.Serializer):
    stage = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=FeelingKind.choices, required=False, default=FeelingKind.CURRENT)
    score = serializers.IntegerField(min_value=FEELING_MIN, max_value=FEELING_MAX)


class DotCreateSerializer(serializers.Serializer):
    card = serializers.IntegerField(min_value=1)
    client_id = serializers.UUIDField()


class DotPlacedSerializer(DotSerializer):
    dots_left = serializers.IntegerField()


ACTIONS = ("open", "phase", "reveal", "timer", "stop_timer", "spotlight", "focus", "lock_board", "unlock_board",
           "lock_lane", "unlock_lane", "show_votes", "end", "add_stage", "add_lane")


class ControlSerializer(serializers.Serializer):
    """One control of the facilitator. Which fields count depends on ``action``: ``phase`` (phase), ``seconds``
    (timer), ``card`` (spotlight; null switches it off), ``stage`` (focus; null lets everyone choose),
    ``lane`` (lock_lane, unlock_lane), ``title`` and ``kind`` (add_stage, add_lane)."""

    action = serializers.ChoiceField(choices=[(a, a) for a in ACTIONS])
    phase = serializers.ChoiceField(choices=Phase.choices, required=False)
    seconds = serializers.IntegerField(min_value=10, max_value=MAX_TIMER_SECONDS, required=False)
    card = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    stage = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    lane = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    title = serializers.CharField(max_length=80, required=False)
    kind = serializers.ChoiceField(choices=LaneKind.choices, required=False, default=LaneKind.OTHER)

    NEEDS = {"phase": "phase", "timer": "seconds", "lock_lane": "lane", "unlock_lane": "lane", "add_stage": "title",
             "add_lane": "title"}

    def validate(self, attrs):
        needed = self.NEEDS.get(attrs["action"])
        if needed and attrs.get(needed) in (None, ""):
            raise serializers.ValidationError({needed: [_("Vul dit in voor deze opdracht.")]})
        return attrs
