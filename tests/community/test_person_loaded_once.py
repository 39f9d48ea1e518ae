"""The person is loaded once per request with what the rules ask of them (community.auth), and what
changes counts at the next request."""

import pytest

from community.auth import PeopleBackend
from community.rules import council_kern_ids
from discussion.models import KernBlock
from discussion.rules import blocked_kern_ids
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_person_comes_with_their_kern_their_councils_and_their_blocks_in_one_query(
        kern, other_kern, django_assert_num_queries):
    person = factories.CouncilMembershipFactory(kern=kern).user
    factories.CouncilMembershipFactory(kern=other_kern, user=person)
    KernBlock.objects.create(kern=other_kern, user=person, reason="Schelden")
    with django_assert_num_queries(1):
        loaded = PeopleBackend().get_user(person.pk)
        assert loaded.kern.name == "Arkel"
        assert council_kern_ids(loaded) == {kern.pk, other_kern.pk}
        assert blocked_kern_ids(loaded) == {other_kern.pk}


def test_a_person_without_seats_or_blocks_has_empty_sets(kern, django_assert_num_queries):
    person = factories.UserFactory(kern=kern)
    with django_assert_num_queries(1):
        loaded = PeopleBackend().get_user(person.pk)
        assert council_kern_ids(loaded) == frozenset() and blocked_kern_ids(loaded) == frozenset()


def test_a_seat_that_ends_counts_at_the_next_request(kern):
    membership = factories.CouncilMembershipFactory(kern=kern)
    assert council_kern_ids(PeopleBackend().get_user(membership.user_id)) == {kern.pk}
    membership.delete()
    assert council_kern_ids(PeopleBackend().get_user(membership.user_id)) == frozenset()


def test_someone_who_may_not_sign_in_is_not_loaded(kern):
    person = factories.UserFactory(kern=kern, is_active=False)
    assert PeopleBackend().get_user(person.pk) is None
    assert PeopleBackend().get_user(10**9) is None


def test_a_user_loaded_another_way_still_gets_the_answer_from_the_database(kern):
    person = factories.CouncilMembershipFactory(kern=kern).user
    fresh = type(person).objects.get(pk=person.pk)  # as a WebSocket scope or a test holds it
    assert council_kern_ids(fresh) == {kern.pk}
