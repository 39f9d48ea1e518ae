"""Staff faces come with their user, photo and topics in one query, whatever the number of staff."""

import pytest

from community.selectors import public_staff
from tests import factories

pytestmark = pytest.mark.django_db


def test_each_profile_knows_what_it_helps_with_in_one_query(kern, django_assert_num_queries):
    care = factories.HelpTopicFactory(name="Zorg, welzijn & mantelzorg", slug="zorg")
    waste = factories.HelpTopicFactory(name="Afval", slug="afval")
    helpers = [factories.StaffProfileFactory() for _ in range(5)]
    helpers[0].topics.add(care, waste)
    helpers[1].topics.add(waste)
    with django_assert_num_queries(1):
        shown = {profile.pk: (profile.user.first_name, profile.topic_names) for profile in public_staff()}
    assert shown[helpers[0].pk][1] == ["Afval", "Zorg, welzijn & mantelzorg"]  # a comma is part of a name
    assert shown[helpers[1].pk][1] == ["Afval"] and shown[helpers[2].pk][1] == []


def test_a_profile_read_otherwise_still_knows(kern):
    profile = factories.StaffProfileFactory()
    profile.topics.add(factories.HelpTopicFactory(name="Wonen", slug="wonen"))
    assert type(profile).objects.get(pk=profile.pk).topic_names == ["Wonen"]
