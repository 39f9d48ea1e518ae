"""The thread page shows only what the rules allow, asked once per comment without a query per comment,
and rendering a thread never writes (the first comment creates the thread, in one transaction)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussion import services
from discussion.models import Comment, KernBlock, Thread
from tests import factories
from tests.factories_discussion import CommentFactory, kern_thread
from tests.factories_initiatives import InitiativeFactory

pytestmark = pytest.mark.django_db


def _page(client, user, thread):
    client.force_login(user)
    return client.get(f"/gesprek/{thread.pk}/").content.decode()


def test_superuser_cannot_edit_a_residents_comment_on_the_web(client, cast, kern):
    comment = CommentFactory(thread=kern_thread(kern), author=cast["resident"], body="Mijn eigen woorden")
    for role in ("superuser", "superuser_not_staff"):
        html = _page(client, cast[role], comment.thread)
        assert f'/gesprek/reactie/{comment.pk}/bewerken/' not in html, role
        assert client.get(f"/gesprek/reactie/{comment.pk}/bewerken/").status_code == 403
        assert client.post(f"/gesprek/reactie/{comment.pk}/bewerken/", {"body": "Herschreven"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mijn eigen woorden"
    assert f'/gesprek/reactie/{comment.pk}/bewerken/' in _page(client, cast["resident"], comment.thread)


def test_superuser_not_staff_cannot_delete_or_moderate(client, cast, kern):
    comment = CommentFactory(thread=kern_thread(kern), author=cast["resident"])
    html = _page(client, cast["superuser_not_staff"], comment.thread)
    assert 'data-role="delete"' not in html and 'data-role="moderate"' not in html
    assert client.post(f"/gesprek/reactie/{comment.pk}/verwijderen/").status_code == 403
    assert Comment.objects.get(pk=comment.pk).deleted_at is None
    # a superuser who is also staff moderates like staff
    html = _page(client, cast["superuser"], comment.thread)
    assert 'data-role="delete"' in html and 'data-role="moderate"' in html


def test_a_closed_thread_shows_no_reply_form_and_no_edit_link(client, cast, kern):
    thread = kern_thread(kern)
    comment = CommentFactory(thread=thread, author=cast["resident"])
    Thread.objects.filter(pk=thread.pk).update(is_closed=True)
    html = _page(client, cast["resident"], thread)
    assert 'id="reageren"' not in html and 'name="parent"' not in html
    assert f'/gesprek/reactie/{comment.pk}/bewerken/' not in html
    assert 'data-role="closed"' in html


def test_a_blocked_person_sees_no_reply_form(client, cast, kern):
    thread = kern_thread(kern)
    CommentFactory(thread=thread, author=cast["verified_resident"])
    KernBlock.objects.create(kern=kern, user=cast["resident"], reason="Spam")
    html = _page(client, cast["resident"], thread)
    assert 'id="reageren"' not in html and 'name="parent"' not in html
    html = _page(client, cast["verified_resident"], thread)
    assert 'id="reageren"' in html and 'name="parent"' in html


def test_own_comment_offers_no_flag_and_others_no_edit(client, cast, kern):
    mine = CommentFactory(thread=kern_thread(kern), author=cast["resident"])
    theirs = CommentFactory(thread=mine.thread, author=cast["verified_resident"])
    html = _page(client, cast["resident"], mine.thread)
    assert f'/gesprek/reactie/{mine.pk}/melden/' not in html and f'/gesprek/reactie/{theirs.pk}/melden/' in html
    assert f'/gesprek/reactie/{theirs.pk}/bewerken/' not in html


@pytest.mark.parametrize("role", ["resident", "council", "staff", "superuser_not_staff", "initiator"])
def test_initiative_thread_queries_are_the_same_for_1_or_30_comments(client, cast, kern, role,
                                                                     django_assert_num_queries):
    initiative = InitiativeFactory(kern=kern, initiator=cast["initiator"], status="published")
    thread = services.get_or_create_thread(target=initiative)
    CommentFactory(thread=thread, author=cast["verified_resident"])
    client.force_login(cast[role])
    client.get(f"/gesprek/{thread.pk}/")  # warm up: the first request of a session costs a few once
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/gesprek/{thread.pk}/").status_code == 200
    for n in range(29):
        author = cast["initiator"] if n % 2 else factories.UserFactory(kern=kern)
        parent = CommentFactory(thread=thread, author=author)
        if n % 3 == 0:
            CommentFactory(thread=thread, parent=parent, author=cast["resident"])
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(f"/gesprek/{thread.pk}/").status_code == 200


def test_rendering_a_target_without_thread_writes_nothing(client, cast, kern):
    initiative = InitiativeFactory(kern=kern, status="published")
    client.force_login(cast["resident"])
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert not Thread.objects.exists()
    action = f"/gesprek/over/initiatives.initiative/{initiative.pk}/reageren/"
    assert f'action="{action}"' in html
    assert "data-thread=" not in html and "js/discussion.js" not in html  # the live client waits for a thread


def test_the_first_comment_creates_thread_and_comment_together(client, cast, kern):
    initiative = InitiativeFactory(kern=kern, status="published")
    action = f"/gesprek/over/initiatives.initiative/{initiative.pk}/reageren/"
    client.force_login(cast["resident"])
    response = client.post(action, {"body": "Goed plan!", "next": initiative.get_absolute_url()})
    thread = Thread.objects.get()
    comment = Comment.objects.get()
    assert comment.thread == thread and thread.target == initiative and thread.kern_id == kern.pk
    assert response["Location"] == f"{initiative.get_absolute_url()}#reactie-{comment.pk}"
    # a second "first" comment (two tabs) lands in the same thread
    client.post(action, {"body": "Ik help mee"})
    assert Thread.objects.count() == 1 and Comment.objects.count() == 2


def test_a_refused_or_empty_first_comment_leaves_no_thread(client, cast, kern):
    published = InitiativeFactory(kern=kern, status="published")
    draft = InitiativeFactory(kern=kern, status="draft")
    client.force_login(cast["resident"])
    client.post(f"/gesprek/over/initiatives.initiative/{published.pk}/reageren/", {"body": "  "})
    assert client.post(f"/gesprek/over/initiatives.initiative/{draft.pk}/reageren/",
                       {"body": "x"}).status_code == 404  # a draft's thread does not exist for a neighbour
    KernBlock.objects.create(kern=kern, user=cast["verified_resident"], reason="Spam")
    client.force_login(cast["verified_resident"])
    client.post(f"/gesprek/over/initiatives.initiative/{published.pk}/reageren/", {"body": "Hallo"})
    assert not Thread.objects.exists() and not Comment.objects.exists()
    assert client.post("/gesprek/over/community.user/1/reageren/", {"body": "x"}).status_code == 404
    assert client.post("/gesprek/over/nothing/1/reageren/", {"body": "x"}).status_code == 404
    client.logout()
    assert client.post(f"/gesprek/over/initiatives.initiative/{published.pk}/reageren/",
                       {"body": "x"}).status_code == 302
    assert not Thread.objects.exists()
