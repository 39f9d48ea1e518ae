"""Guards in initiatives/services/engagement.py that no other test held (found by ``make mutate``).

Each test fails when its line is mutated: support, unsupport and a news update empty the anonymous page cache
once they commit (pages show the number of supporters and the news), the services return the new state, and
following asks the rule first.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import pagecache
from initiatives import services
from initiatives.models import Follow, Status, Support
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_initiative):
    return make_initiative(Status.PUBLISHED)


def changes_generation(callbacks, action):
    """Whether ``action`` moves the page-cache generation, and only once its transaction has committed."""
    before = pagecache.generation()
    with callbacks(execute=True):
        action()
        assert pagecache.generation() == before  # not before commit
    return pagecache.generation() != before


def test_supporting_empties_the_page_cache_after_commit(published, resident, django_capture_on_commit_callbacks):
    assert changes_generation(django_capture_on_commit_callbacks,
                              lambda: services.support(user=resident, initiative=published))


def test_withdrawing_support_empties_the_page_cache_after_commit(published, resident,
                                                                  django_capture_on_commit_callbacks):
    services.support(user=resident, initiative=published)
    assert changes_generation(django_capture_on_commit_callbacks,
                              lambda: services.unsupport(user=resident, initiative=published))
    assert not Support.objects.exists()


def test_news_empties_the_page_cache_after_commit(published, initiator, django_capture_on_commit_callbacks):
    assert changes_generation(django_capture_on_commit_callbacks, lambda: services.post_update(
        actor=initiator, initiative=published, title="De schommel staat er", body="<p>Kom kijken!</p>"))


def test_support_and_unsupport_return_the_new_state(published, resident):
    assert services.support(user=resident, initiative=published) is True
    assert services.unsupport(user=resident, initiative=published) is False


def test_follow_and_unfollow_return_the_new_state(published, resident):
    assert services.follow(user=resident, initiative=published) is True
    assert services.unfollow(user=resident, initiative=published) is False
    assert not Follow.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_following_asks_the_rule_first(make_initiative, resident, who):
    draft = make_initiative(Status.DRAFT)  # not public: nobody but its initiators may follow it
    user = AnonymousUser() if who == "anonymous" else resident
    with pytest.raises(PermissionDenied):
        services.follow(user=user, initiative=draft)
    assert not Follow.objects.exists()


def test_news_costs_the_same_queries_for_one_follower_or_five(published, initiator, kern):
    def queries_for_news():
        with CaptureQueriesContext(connection) as captured:
            services.post_update(actor=initiator, initiative=published, title="Nieuws", body="<p>Tekst</p>")
        return len(captured)

    Follow.objects.create(initiative=published, user=UserFactory(kern=kern))
    one = queries_for_news()
    for _ in range(4):
        Follow.objects.create(initiative=published, user=UserFactory(kern=kern))
    assert queries_for_news() == one  # the followers come with their users in one query


def test_news_tells_followers_the_first_300_characters(published, initiator, kern, django_capture_on_commit_callbacks):
    from community.models import Notification

    Follow.objects.create(initiative=published, user=UserFactory(kern=kern))
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(actor=initiator, initiative=published, title="Nieuws", body=f"<p>{'x' * 500}</p>")
    assert Notification.objects.get().body == "x" * 300


def test_news_and_its_notifications_are_written_together(published, initiator, kern, monkeypatch):
    from initiatives.models import InitiativeUpdate
    from initiatives.services import engagement

    Follow.objects.create(initiative=published, user=UserFactory(kern=kern))

    def fail(**kwargs):
        raise RuntimeError("the notifications could not be prepared")

    monkeypatch.setattr(engagement, "tell", fail)
    with pytest.raises(RuntimeError):
        services.post_update(actor=initiator, initiative=published, title="Nieuws", body="<p>Tekst</p>")
    assert not InitiativeUpdate.objects.exists()
