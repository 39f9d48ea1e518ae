"""Fixtures for lab: a kern registered as the encounter people are asked about, and its invitees; the demo's
finished workshop."""

import pytest

from lab.feedback import services
from tests import factories
from tests.factories_lab import TEST_KIND, register_test_subject, unregister_test_subject


@pytest.fixture(autouse=True)
def test_subject():
    subject = register_test_subject()
    yield subject
    unregister_test_subject()


@pytest.fixture
def encounter(kern):
    """The encounter: the kern ``kern`` stands in for a walk or workshop held there."""
    return kern


@pytest.fixture
def participants(kern):
    return [factories.UserFactory(kern=kern, first_name=name) for name in ("Anna", "Bert", "Cor")]


@pytest.fixture
def invited(encounter, participants):
    """``{user: link}`` for each participant, invited without notifications."""
    return {i.invitation.user: i.link for i in
            services.invite(kind=TEST_KIND, object_id=encounter.pk, users=participants, send=False)}


@pytest.fixture
def finished(kern):
    """The demo's finished workshop "Verhuizen naar Molenlanden" (a full journey, votes, results, evaluations)."""
    from lab.models import Workshop
    from lab.workshops.demo import _finished

    for email in ("jan@example.org", "kees@example.org"):
        factories.UserFactory(email=email, kern=kern)
    _finished(factories.StaffFactory(email="fatima@example.org"))
    return Workshop.objects.get(title="Verhuizen naar Molenlanden")

