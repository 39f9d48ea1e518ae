"""How polls, budgets, projects, ballot boxes and results look in /api/v1/voting/, and what a ballot may send.

No answer carries a count before the rule ``voting.view_results`` allows it: ``results`` is null, and no
``ballots`` or turnout figure appears anywhere else (CONSUL #4771). The viewer's own standing (``viewer``) says
what the rules say for them: whether they may vote, whether they have.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from voting.models import (
    BallotFormat,
    BudgetPhase,
    CountingRule,
    PollKind,
    ProjectState,
    ResultsShown,
    WhoMayVote,
)
from voting.services.choices import MAX_ENTRIES

CODE_MAX = 64  # a letter code is 26 characters; typed with dashes and spaces it stays well below this
RECEIPT_MAX = 64


_ENUM_FIELDS: dict[str, type] = {}


def enum(name: str, choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose values are the schema component ``name``. A named component keeps these choice sets
    apart from other apps' fields called ``kind``, ``phase`` or ``state`` (the schema would otherwise rename
    theirs as well as ours)."""
    values = [str(value) for value in (choices.values if hasattr(choices, "values") else choices)]
    if name not in _ENUM_FIELDS:
        _ENUM_FIELDS[name] = extend_schema_field({"type": "string", "enum": values}, component_name=name)(
            type(f"{name}Field", (serializers.ChoiceField,), {}))
    return _ENUM_FIELDS[name](choices=values, **kwargs)


# --- Reading ------------------------------------------------------------------------------------------------

class VotingKernSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class VoterStandingSerializer(serializers.Serializer):
    """What the rules say for the one asking (signed out: all false)."""

    may_vote = serializers.BooleanField(help_text="May cast a ballot with their account now (voting.vote).")
    may_vote_with_code = serializers.BooleanField(help_text="The box is open for letter codes (voting.vote_with_code).")
    voted = serializers.BooleanField(help_text="Is in this box's voter register (never: what they chose).")
    may_view_results = serializers.BooleanField(help_text="May see the result now (voting.view_results).")


class BallotBoxSerializer(serializers.Serializer):
    """A ballot box: when it is open, who may vote, and when the result can be seen. Never a count."""

    id = serializers.IntegerField()
    kern = VotingKernSerializer(allow_null=True, help_text="null: the whole municipality.")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    is_open = serializers.BooleanField()
    who_may_vote = enum("WhoMayVoteEnum", WhoMayVote)
    secret = serializers.BooleanField(help_text="false: an open vote; who chose what is public.")
    results_shown = enum("ResultsShownEnum", ResultsShown)
    result_published_at = serializers.DateTimeField(allow_null=True)
    seed = serializers.CharField(allow_null=True, help_text="The published lot for ties; null until published.")
    viewer = VoterStandingSerializer()
    ballots_url = serializers.CharField(help_text="POST a ballot here.")
    result_url = serializers.CharField(allow_null=True, help_text="The result; null while it may not be seen.")


class PollOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class PollOptionResultSerializer(PollOptionSerializer):
    votes = serializers.IntegerField()
    share = serializers.IntegerField(help_text="Percentage of the ballots, rounded.")


class PollScaleResultSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    votes = serializers.IntegerField()
    share = serializers.IntegerField(help_text="Percentage of the ballots, rounded.")


class PollResultSerializer(serializers.Serializer):
    ballots = serializers.IntegerField()
    options = PollOptionResultSerializer(many=True, help_text="Single and multiple choice; empty for a scale.")
    scale = PollScaleResultSerializer(many=True, help_text="A scale: every value from 1; empty otherwise.")


class PollSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField()
    intro = serializers.CharField()
    kind = enum("PollKindEnum", PollKind)
    max_choices = serializers.IntegerField()
    scale_size = serializers.IntegerField()
    scale_low = serializers.CharField()
    scale_high = serializers.CharField()
    initiative = serializers.IntegerField(allow_null=True)
    box = BallotBoxSerializer()
    options = PollOptionSerializer(many=True)
    results = PollResultSerializer(allow_null=True, help_text="null until voting.view_results allows it.")
    url = serializers.CharField(help_text="The poll's page.")


class BudgetProjectUpdateSerializer(serializers.Serializer):
    text = serializers.CharField()
    progress = serializers.IntegerField()
    at = serializers.DateTimeField()


class BudgetProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    budget = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    cost = serializers.IntegerField(help_text="Euros.")
    state = enum("ProjectStateEnum", ProjectState)
    review_reason = serializers.CharField(help_text="Why the municipality judged it so (e.g. not feasible).")
    initiative = serializers.IntegerField(allow_null=True)
    on_ballot = serializers.BooleanField()
    funded = serializers.BooleanField(help_text="Chosen in the published result (false before).")
    progress = serializers.IntegerField(help_text="Percent done, once it is being carried out.")


class BudgetProjectDetailSerializer(BudgetProjectSerializer):
    updates = BudgetProjectUpdateSerializer(many=True, help_text="Newest first.")


class BudgetExportsSerializer(serializers.Serializer):
    pabulib = serializers.CharField(help_text="The Pabulib (.pb) file: projects, anonymised ballots, result.")
    ballots_csv = serializers.CharField(help_text="The anonymised ballots, shuffled, as CSV.")
    recount = serializers.CharField(help_text="The public recount page.")


class BudgetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    intro = serializers.CharField()
    amount = serializers.IntegerField(help_text="Euros.")
    phase = enum("BudgetPhaseEnum", BudgetPhase)
    proposals_until = serializers.DateField(allow_null=True)
    ballot_format = enum("BallotFormatEnum", BallotFormat)
    max_projects = serializers.IntegerField(allow_null=True)
    min_projects = serializers.IntegerField()
    points_total = serializers.IntegerField(allow_null=True)
    counting_rule = enum("CountingRuleEnum", CountingRule)
    box = BallotBoxSerializer()
    url = serializers.CharField(help_text="The budget's page.")
    exports = BudgetExportsSerializer(allow_null=True, help_text="The downloads; null until the result is published.")


class BudgetDetailSerializer(BudgetSerializer):
    projects = BudgetProjectSerializer(many=True, help_text="Every project, whatever its state, oldest first.")


class BudgetOutcomeProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    cost = serializers.CharField(help_text="Euros, exact.")
    votes = serializers.IntegerField()
    points = serializers.IntegerField()
    funded = serializers.BooleanField()
    position = serializers.IntegerField(allow_null=True, help_text="1 = bought first; null if not funded.")
    why = enum("BudgetOutcomeEnum", ["Funded", "NoVotes", "SupportersShort", "DidNotFit"],
               help_text="Funded; nobody voted for it; its supporters had too little left; it no longer fitted.")


class BudgetOutcomeSerializer(serializers.Serializer):
    method = enum("CountingRuleEnum", CountingRule)
    completion = serializers.CharField()
    budget = serializers.CharField(help_text="Euros, exact.")
    spent = serializers.CharField(help_text="Euros, exact.")
    selected = serializers.ListField(child=serializers.IntegerField(), help_text="Funded projects, in buying order.")
    projects = BudgetOutcomeProjectSerializer(many=True)


class BallotBoxResultSerializer(serializers.Serializer):
    box = serializers.IntegerField()
    kind = enum("BallotBoxKindEnum", ["poll", "budget"])
    ballots = serializers.IntegerField()
    published_at = serializers.DateTimeField(allow_null=True)
    seed = serializers.CharField(allow_null=True, help_text="The published lot for ties (budgets).")
    poll = PollResultSerializer(allow_null=True)
    budget = BudgetOutcomeSerializer(allow_null=True)


# --- Writing ------------------------------------------------------------------------------------------------

CHOICES_SCHEMA = {
    "oneOf": [
        {"type": "array", "items": {"type": "integer", "minimum": 1}, "maxItems": MAX_ENTRIES,
         "description": "The ids of the options or projects chosen (each one point)."},
        {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}, "maxProperties": MAX_ENTRIES,
         "description": "Id → points (a points ballot), or {\"scale\": value} for a scale poll."},
    ],
}


@extend_schema_field(CHOICES_SCHEMA)
class ChoicesField(serializers.Field):
    """A list of ids, or a mapping of id to points. Only the shape is checked here; what the ballot may say is
    the service's to check (``voting.services.choices``)."""

    default_error_messages = {"invalid": _("Stuur de keuzes als een lijst van nummers of als nummer en punten.")}

    def to_internal_value(self, data):
        if isinstance(data, list):
            if len(data) > MAX_ENTRIES or not all(_whole(item, minimum=1) for item in data):
                self.fail("invalid")
            return data
        if isinstance(data, dict):
            if len(data) > MAX_ENTRIES or not all(_whole(value, minimum=0) for value in data.values()):
                self.fail("invalid")
            return data
        self.fail("invalid")

    def to_representation(self, value):
        return value


def _whole(value, *, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


class BallotCastSerializer(serializers.Serializer):
    choices = ChoicesField()
    code = serializers.CharField(required=False, max_length=CODE_MAX, trim_whitespace=True,
                                 help_text="A letter code, to vote without an account (boxes by letter).")


class BallotCountedSerializer(serializers.Serializer):
    counted = serializers.BooleanField()
    replayed = serializers.BooleanField()
    receipt = serializers.CharField(help_text="Shown once: with it anyone can check that this ballot is counted. "
                                              "Never stored.")


class BallotReplayedSerializer(serializers.Serializer):
    counted = serializers.BooleanField()
    replayed = serializers.BooleanField(help_text="true: this request (its Idempotency-Key) was counted before.")


class ReceiptCheckSerializer(serializers.Serializer):
    receipt = serializers.CharField(max_length=RECEIPT_MAX, help_text="The receipt code shown after voting.")


class ReceiptAnswerSerializer(serializers.Serializer):
    counted = serializers.BooleanField(help_text="A ballot with this receipt is in the box. Never what it says.")

