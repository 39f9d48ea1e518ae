"""A thread is read in a fixed, small number of queries: the thread with its stream position, then the
comments, then every reaction count with the reader's own in one pass."""

import pytest
from django.contrib.auth.models import AnonymousUser

from discussion import services
from discussion.models import Reaction
from discussion.selectors import find_thread, thread_comments
from live.services import last_seq
from tests import factories
from tests.factories_discussion import CommentFactory, kern_thread

pytestmark = pytest.mark.django_db

LIKE, THANKS = Reaction.Kind.choices[0][0], Reaction.Kind.choices[1][0]


@pytest.fixture
def thread(kern, django_capture_on_commit_callbacks):
    thread = kern_thread(kern)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(thread=thread, author=factories.UserFactory(kern=kern), body="Goed idee")
    return thread


def test_the_thread_comes_with_its_stream_position(kern, thread, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = find_thread(target=kern)
    assert found.pk == thread.pk and found.known_last_seq == last_seq(thread.stream) > 0


def test_a_thread_without_events_is_at_position_zero(kern):
    thread = kern_thread(kern)
    assert find_thread(target=kern).known_last_seq == 0 == last_seq(thread.stream)


def test_counts_and_the_readers_own_reactions_in_one_pass(kern, thread, django_assert_num_queries):
    reader, other = factories.UserFactory(kern=kern), factories.UserFactory(kern=kern)
    first = thread.comments.get()
    second = CommentFactory(thread=thread)
    for person, comment, kind in [(reader, first, LIKE), (other, first, LIKE), (other, first, THANKS),
                                  (other, second, THANKS)]:
        services.toggle_reaction(comment=comment, user=person, kind=kind)
    with django_assert_num_queries(2):
        comments = {c.pk: c for c in thread_comments(thread, reader, moderator=False)}
    assert dict((kind, n) for kind, _label, n in comments[first.pk].counts)[LIKE] == 2
    assert dict((kind, n) for kind, _label, n in comments[first.pk].counts)[THANKS] == 1
    assert comments[first.pk].mine == {LIKE} and comments[second.pk].mine == set()
    visitor = {c.pk: c for c in thread_comments(thread, AnonymousUser(), moderator=False)}
    assert visitor[first.pk].mine == set() and visitor[second.pk].mine == set()
