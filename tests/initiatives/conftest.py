"""Fixtures for initiatives: an initiator in ``kern`` and initiatives in any state."""

import pytest

from initiatives.models import Status
from tests.factories_initiatives import InitiativeFactory, MatchFundFactory


@pytest.fixture
def initiator(kern):
    from tests.factories import UserFactory

    return UserFactory(kern=kern, first_name="Ineke")


@pytest.fixture
def make_initiative(kern, initiator):
    """``make_initiative(status, **fields)``: an initiative of ``initiator`` in ``kern`` in that state."""

    def make(status=Status.DRAFT, **fields):
        fields.setdefault("kern", kern)
        fields.setdefault("initiator", initiator)
        return InitiativeFactory(status=status, **fields)

    return make


@pytest.fixture
def funding_initiative(make_initiative):
    return make_initiative(Status.FUNDING)


@pytest.fixture
def match_fund(kern):
    return MatchFundFactory(kern=kern)
