"""Discussion services: what they change, what they refuse, and what they announce."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.models import Notification
from discussion import services
from discussion.models import Comment, Flag, KernBlock, Reaction
from live.models import LiveEvent
from tests import factories
from tests.factories_discussion import CommentFactory, kern_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(kern):
    return kern_thread(kern)


def events(thread):
    return list(LiveEvent.objects.filter(stream=thread.stream).order_by("seq").values_list("type", "payload"))


def test_one_thread_per_object(kern):
    assert kern_thread(kern).pk == kern_thread(kern).pk
    assert kern_thread(kern).kern_id == kern.pk


def test_post_comment_sanitises_and_publishes(thread, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.post_comment(
            thread=thread, author=resident,
            body='Kijk <script>alert(1)</script> https://molenlanden.nl/plan en javascript:alert(1)',
        )
    assert "<script>" not in comment.body_html
    assert "&lt;script&gt;" in comment.body_html
    assert '<a href="https://molenlanden.nl/plan" rel="nofollow noopener ugc">' in comment.body_html
    assert 'href="javascript' not in comment.body_html
    [(kind, payload)] = events(thread)
    assert kind == "comment.created"
    assert payload["id"] == comment.pk and payload["body_html"] == comment.body_html


@pytest.mark.parametrize("body", ["", "   ", "x" * (services.MAX_BODY + 1)])
def test_bad_body_changes_nothing(thread, resident, body):
    with pytest.raises(ValidationError):
        services.post_comment(thread=thread, author=resident, body=body)
    assert not Comment.objects.exists() and not LiveEvent.objects.exists()


def test_anonymous_cannot_post(thread):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.post_comment(thread=thread, author=AnonymousUser(), body="hoi")


def test_replies_stay_one_level_deep(thread, resident):
    first = services.post_comment(thread=thread, author=resident, body="eerste")
    reply = services.post_comment(thread=thread, author=resident, body="antwoord", parent=first)
    deeper = services.post_comment(thread=thread, author=resident, body="dieper", parent=reply)
    assert reply.parent_id == first.pk and deeper.parent_id == first.pk


def test_reply_to_comment_of_another_thread_is_refused(thread, other_kern, resident):
    elsewhere = services.post_comment(thread=kern_thread(other_kern), author=resident, body="daar")
    with pytest.raises(ValidationError):
        services.post_comment(thread=thread, author=resident, body="hier", parent=elsewhere)


def test_client_key_makes_posting_idempotent(thread, resident):
    first = services.post_comment(thread=thread, author=resident, body="één keer", client_key="abc")
    again = services.post_comment(thread=thread, author=resident, body="één keer", client_key="abc")
    assert first.pk == again.pk and Comment.objects.count() == 1
    assert LiveEvent.objects.count() == 1


def test_rate_limit(thread, resident, settings):
    settings.DISCUSSION_RATE_LIMIT = (3, 60)
    for n in range(3):
        services.post_comment(thread=thread, author=resident, body=f"r{n}")
    with pytest.raises(services.RateLimited):
        services.post_comment(thread=thread, author=resident, body="te veel")
    assert Comment.objects.count() == 3
    Comment.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    services.post_comment(thread=thread, author=resident, body="na een minuut")


def test_edit_within_window_is_marked_edited(thread, resident, settings):
    comment = services.post_comment(thread=thread, author=resident, body="eerst")
    edited = services.edit_comment(comment=comment, editor=resident, body="daarna")
    assert edited.edited_at is not None and "daarna" in edited.body_html
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    comment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.edit_comment(comment=comment, editor=resident, body="te laat")
    assert [kind for kind, _ in events(thread)] == ["comment.created", "comment.edited"]


def test_only_the_author_edits(thread, resident, council_member):
    comment = services.post_comment(thread=thread, author=resident, body="mijn tekst")
    with pytest.raises(PermissionDenied):
        services.edit_comment(comment=comment, editor=council_member, body="anders")


def test_soft_delete_keeps_the_row(thread, resident):
    comment = services.post_comment(thread=thread, author=resident, body="weg ermee")
    services.delete_comment(comment=comment, user=resident)
    comment.refresh_from_db()
    assert comment.is_deleted and Comment.objects.count() == 1
    assert events(thread)[-1] == ("comment.deleted", {"id": comment.pk})


def test_reactions_toggle_one_per_kind(thread, resident, verified_resident):
    comment = services.post_comment(thread=thread, author=resident, body="idee")
    assert services.toggle_reaction(comment=comment, user=verified_resident, kind="eens") is True
    assert services.toggle_reaction(comment=comment, user=verified_resident, kind="idee") is True
    assert services.toggle_reaction(comment=comment, user=verified_resident, kind="eens") is False
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["idee"]
    assert events(thread)[-1][1]["counts"]["idee"] == 1
    with pytest.raises(ValidationError):
        services.toggle_reaction(comment=comment, user=verified_resident, kind="boos")


def test_mention_notifies_the_person_mentioned(thread, resident, django_capture_on_commit_callbacks):
    piet = factories.UserFactory(first_name="Piet", last_name="de Boer")
    services.post_comment(thread=thread, author=piet, body="Ik ben er ook")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(thread=thread, author=resident, body="Goed punt @Piet de Boer!")
    [note] = Notification.objects.all()
    assert note.recipient == piet and resident.display_name in note.title


def test_flag_hide_restore_with_reason_the_author_sees(thread, resident, verified_resident, council_member,
                                                       django_capture_on_commit_callbacks):
    comment = services.post_comment(thread=thread, author=resident, body="onaardig")
    services.flag_comment(comment=comment, reporter=verified_resident, reason="Scheldwoord")
    with pytest.raises(ValidationError):
        services.flag_comment(comment=comment, reporter=verified_resident, reason=" ")
    with pytest.raises(PermissionDenied):
        services.hide_comment(comment=comment, moderator=verified_resident, reason="nee")
    with pytest.raises(ValidationError):
        services.hide_comment(comment=comment, moderator=council_member, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.hide_comment(comment=comment, moderator=council_member, reason="Houd het vriendelijk")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Houd het vriendelijk"
    assert Flag.objects.get().resolved_by == council_member
    assert events(thread)[-1] == ("comment.hidden", {"id": comment.pk})
    assert Notification.objects.get(recipient=resident).body == "Houd het vriendelijk"
    services.restore_comment(comment=comment, moderator=council_member, reason="Toch in orde")
    comment.refresh_from_db()
    assert not comment.is_hidden and events(thread)[-1][0] == "comment.restored"


def test_council_of_another_kern_cannot_moderate(thread, resident, other_council_member):
    comment = services.post_comment(thread=thread, author=resident, body="tekst")
    with pytest.raises(PermissionDenied):
        services.hide_comment(comment=comment, moderator=other_council_member, reason="x")


def test_closed_thread_takes_no_comments(thread, resident, council_member):
    services.close_thread(thread=thread, moderator=council_member, reason="Besluit genomen")
    with pytest.raises(PermissionDenied):
        services.post_comment(thread=thread, author=resident, body="nog iets")
    services.close_thread(thread=thread, moderator=council_member, reason="", closed=False)
    services.post_comment(thread=thread, author=resident, body="nog iets")


def test_blocked_user_cannot_post_in_that_kern_only(thread, kern, other_kern, resident, council_member):
    services.block_user(kern=kern, user=resident, moderator=council_member, reason="Herhaaldelijk schelden")
    assert KernBlock.objects.filter(kern=kern, user=resident).exists()
    with pytest.raises(PermissionDenied):
        services.post_comment(thread=thread, author=resident, body="toch")
    services.post_comment(thread=kern_thread(other_kern), author=resident, body="elders mag het")
    with pytest.raises(PermissionDenied):
        services.block_user(kern=other_kern, user=resident, moderator=council_member, reason="x")


def test_presence_counts_and_announces_at_most_once_a_second(thread, django_capture_on_commit_callbacks):
    assert services.join_presence(thread_id=thread.pk, member="a") is True
    assert services.join_presence(thread_id=thread.pk, member="b") is False  # the first joiner announces for both
    assert services.presence_count(thread.pk) == 2
    services.leave_presence(thread_id=thread.pk, member="a")
    services.leave_presence(thread_id=thread.pk, member="b")
    services.leave_presence(thread_id=thread.pk, member="b")  # a second leave changes nothing
    assert services.presence_count(thread.pk) == 0
    assert services.announce_presence(thread_id=thread.pk) == 0
    assert not LiveEvent.objects.exists()


def test_presence_heals_after_a_crashed_worker(thread, settings):
    """Eleven connections of a worker that died never left; one real viewer keeps refreshing."""
    from live import presence

    store = presence.backend()
    crashed_at = time.time()
    for n in range(11):
        store.touch(services._presence_key(thread.pk), f"crashed-{n}", now=crashed_at)
    services.join_presence(thread_id=thread.pk, member="real")
    assert services.presence_count(thread.pk) == 12
    later = crashed_at + settings.LIVE_REFRESH_SECONDS + presence.GRACE_SECONDS + 1
    store.touch(services._presence_key(thread.pk), "real", now=later)  # the real viewer's refresh
    assert store.count(services._presence_key(thread.pk), now=later) == 1


def test_a_refresh_announces_only_a_changed_count(thread, django_capture_on_commit_callbacks):
    services.join_presence(thread_id=thread.pk, member="a")
    services.announce_presence(thread_id=thread.pk)
    cache.delete(f"discussion:presence-claim:{thread.pk}")
    assert services.refresh_presence(thread_id=thread.pk, member="a") is False
    services.join_presence(thread_id=thread.pk, member="b")
    cache.delete(f"discussion:presence-claim:{thread.pk}")
    assert services.refresh_presence(thread_id=thread.pk, member="a") is True


def test_comment_factory_builds(thread):
    assert CommentFactory(thread=thread).body_html.startswith("<p>")


def test_a_thread_goes_with_its_object(kern, resident):
    from discussion.models import Comment, Thread
    from initiatives.models import Status
    from live.models import LiveEvent, StreamCounter
    from tests.factories_initiatives import InitiativeFactory

    draft = InitiativeFactory(kern=kern, initiator=resident, status=Status.DRAFT)
    thread = services.get_or_create_thread(target=draft)
    services.post_comment(thread=thread, author=resident, body="Eerste idee")
    kept = services.get_or_create_thread(target=kern)
    services.post_comment(thread=kept, author=resident, body="Blijft staan")
    draft.delete()
    assert not Thread.objects.filter(pk=thread.pk).exists() and not Comment.objects.filter(thread_id=thread.pk).exists()
    assert not LiveEvent.objects.filter(stream=thread.stream).exists()
    assert not StreamCounter.objects.filter(stream=thread.stream).exists()
    assert Comment.objects.filter(thread=kept).exists() and LiveEvent.objects.filter(stream=kept.stream).exists()
