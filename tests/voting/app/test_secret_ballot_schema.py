"""The database schema keeps the ballot secret: nothing links what was voted to who voted (decision 32).

Checked on the models and on the real tables of the database the tests run on (SQLite or PostgreSQL).
"""

import uuid

import pytest
from django.apps import apps
from django.db import connection, models

from voting.models import Ballot, Turnout

pytestmark = pytest.mark.django_db

PEOPLE_AND_REGISTERS = {"community.User", "voting.Turnout", "voting.VotingCode", "voting.PublicVote",
                        "voting.BallotDraft", "voting.PaperSheet", "voting.CodeEvent"}


def label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}"


def test_the_ballot_has_no_key_to_a_person_a_code_or_the_register():
    relations = {label(field.related_model) for field in Ballot._meta.get_fields()
                 if field.is_relation and field.related_model is not None}
    assert relations == {"voting.BallotBox"}


def test_the_ballot_keeps_no_time_finer_than_the_day_and_no_order_of_casting():
    fields = {field.name: field for field in Ballot._meta.concrete_fields}
    assert not [name for name, field in fields.items() if isinstance(field, models.DateTimeField)]
    assert isinstance(fields["cast_on"], models.DateField)
    assert isinstance(Ballot._meta.pk, models.UUIDField) and Ballot._meta.pk.default is uuid.uuid4
    assert not Ballot._meta.ordering
    assert set(fields) == {"id", "box", "cast_on", "choices", "receipt_hash"}


def test_nothing_points_at_a_ballot():
    pointing = [f"{label(model)}.{field.name}" for model in apps.get_models() for field in model._meta.get_fields()
                if field.is_relation and field.concrete and field.related_model is Ballot]
    assert pointing == []


def test_the_register_has_no_key_to_a_ballot_and_no_receipt():
    names = {field.name for field in Turnout._meta.concrete_fields}
    assert not {name for name in names if "ballot" in name or "receipt" in name or "choice" in name}
    assert {label(field.related_model) for field in Turnout._meta.concrete_fields if field.is_relation} == {
        "voting.BallotBox", "community.User", "voting.VotingCode"}
    assert not [f for f in Turnout._meta.concrete_fields if isinstance(f, models.DateTimeField)]


def test_the_real_ballot_table_has_only_the_box_as_a_foreign_key():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Ballot._meta.db_table)
        columns = {column.name for column in connection.introspection.get_table_description(cursor,
                                                                                           Ballot._meta.db_table)}
    foreign = {tuple(item["columns"]): item["foreign_key"] for item in constraints.values() if item["foreign_key"]}
    assert foreign == {("box_id",): ("voting_ballotbox", "id")}
    assert columns == {"id", "box_id", "cast_on", "choices", "receipt_hash"}


def test_the_real_register_table_has_no_ballot_column():
    with connection.cursor() as cursor:
        columns = {column.name for column in connection.introspection.get_table_description(
            cursor, Turnout._meta.db_table)}
    assert columns == {"id", "box_id", "voter_id", "code_id", "channel", "voted_on", "idempotency_key",
                       "registered_by_id"}


def test_register_and_people_tables_hold_no_choices_except_the_open_vote_and_the_draft():
    """Choices sit in the ballot; besides it only in an open vote's public record, a ballot being filled in
    (deleted when cast) and a paper sheet (which has no voter); the box holds only the published totals."""
    holders = sorted(f"{label(model)}.{field.name}" for model in apps.get_models() if model._meta.app_label == "voting"
                     for field in model._meta.concrete_fields if isinstance(field, models.JSONField))
    assert holders == ["voting.Ballot.choices", "voting.BallotBox.result", "voting.BallotDraft.choices",
                       "voting.PaperSheet.first_choices", "voting.PaperSheet.second_choices",
                       "voting.PublicVote.choices"]
    paper = {label(f.related_model) for f in apps.get_model("voting", "PaperSheet")._meta.concrete_fields
             if f.is_relation}
    assert paper == {"voting.BallotBox", "community.User"}  # the staff who entered it, never a voter
