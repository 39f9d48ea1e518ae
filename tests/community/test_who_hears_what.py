"""Every notification rule across the apps: who hears of what, by which kind, once, and never someone who may
not see it. Each test runs the real service; the mechanism itself is proven in test_notification_mechanism.py."""

from decimal import Decimal

import pytest
from django.core import mail

from community import services as community_services
from community.models import CallbackRequest, Notification
from community.notifications.services import unread_count
from discussion import services as discussion_services
from initiatives import services
from initiatives.models import Status
from tests import factories
from tests.factories_discussion import kern_thread
from tests.factories_initiatives import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run a service as a request would: its after-commit work (telling people) happens."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


@pytest.fixture
def funding(kern):
    initiative = InitiativeFactory(kern=kern, status=Status.FUNDING)
    co_initiator = factories.UserFactory(kern=kern)
    initiative.co_initiators.add(co_initiator)
    return initiative, co_initiator


def test_initiators_hear_of_a_pledge_once_and_the_pledger_does_not(committing, funding, kern):
    initiative, co_initiator = funding
    pledger = factories.UserFactory(kern=kern)
    for _attempt in range(2):  # the same request twice (Back and resubmit): one pledge, one notification
        committing(services.pledge, pledger=pledger, initiative=initiative, kind="money", idempotency_key="k1",
                   amount=Decimal("25"))
    assert told("initiatives.pledge_received") == {initiative.initiator_id, co_initiator.pk}
    assert Notification.objects.filter(kind="initiatives.pledge_received").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([initiative.initiator.email, co_initiator.email])


def test_initiators_hear_of_a_supporter_once_even_after_withdraw_and_support_again(committing, funding, kern):
    initiative, _co = funding
    supporter = factories.UserFactory(kern=kern)
    committing(services.support, user=supporter, initiative=initiative)
    committing(services.unsupport, user=supporter, initiative=initiative)
    committing(services.support, user=supporter, initiative=initiative)
    assert Notification.objects.filter(kind="initiatives.support_received", recipient=initiative.initiator).count() == 1
    assert not mail.outbox  # supports come in the daily digest by default


def test_team_changes_reach_the_team(committing, funding, kern):
    initiative, co_initiator = funding
    token = services.invitation_token(actor=initiative.initiator, initiative=initiative)
    newcomer = factories.UserFactory(kern=kern)
    committing(services.join_as_co_initiator, user=newcomer, token=token)
    assert told("initiatives.team_changed") == {initiative.initiator_id, co_initiator.pk}
    Notification.objects.all().delete()
    committing(services.remove_co_initiator, actor=initiative.initiator, initiative=initiative, user=co_initiator)
    assert told("initiatives.team_changed") == {newcomer.pk, co_initiator.pk}  # the one removed hears it too


def test_followers_hear_of_news_but_not_the_initiator_who_wrote_it(committing, funding, kern):
    initiative, _co = funding
    follower = factories.UserFactory(kern=kern)
    committing(services.follow, user=follower, initiative=initiative)
    committing(services.post_update, actor=initiative.initiator, initiative=initiative, title="Bijna klaar",
               body="<p>De schommel staat er.</p>")
    assert told("initiatives.update_posted") == {follower.pk}
    assert Notification.objects.get(kind="initiatives.update_posted").body == "De schommel staat er."


def test_the_council_hears_of_a_submission_and_the_question_goes_when_a_colleague_decides(committing, kern,
                                                                                          other_kern):
    first = factories.CouncilMembershipFactory(kern=kern).user
    colleague = factories.CouncilMembershipFactory(kern=kern).user
    elsewhere = factories.CouncilMembershipFactory(kern=other_kern).user
    draft = InitiativeFactory(kern=kern, status=Status.DRAFT)
    committing(services.submit_initiative, actor=draft.initiator, initiative=draft)
    assert told("initiatives.to_review") == {first.pk, colleague.pk}  # not the council of another kern
    assert unread_count(first) == 1 and unread_count(colleague) == 1
    committing(services.approve_initiative, actor=colleague, initiative=draft, reason="Mooi plan")
    assert unread_count(first) == 0 and unread_count(colleague) == 0
    assert told("initiatives.decision") == {draft.initiator_id}
    assert not told("initiatives.to_review") & {elsewhere.pk}


@pytest.mark.parametrize("decide", ["request_changes", "decline_initiative"])
def test_every_decision_settles_the_councils_question(committing, kern, decide):
    member = factories.CouncilMembershipFactory(kern=kern).user
    draft = InitiativeFactory(kern=kern, status=Status.DRAFT)
    committing(services.submit_initiative, actor=draft.initiator, initiative=draft)
    key = "comment" if decide == "request_changes" else "reason"
    committing(getattr(services, decide), actor=member, initiative=draft, **{key: "Graag een begroting"})
    assert unread_count(member) == 0
    assert Notification.objects.get(kind="initiatives.decision").body == "Graag een begroting"


def test_initiators_hear_of_comments_on_their_initiative(committing, funding, kern):
    initiative, co_initiator = funding
    neighbour = factories.UserFactory(kern=kern)
    thread = discussion_services.get_or_create_thread(target=initiative)
    committing(discussion_services.post_comment, thread=thread, author=neighbour, body="Goed plan!")
    assert told("discussion.comment_on_mine") == {initiative.initiator_id, co_initiator.pk}
    Notification.objects.all().delete()
    committing(discussion_services.post_comment, thread=thread, author=co_initiator, body="Dank u!")
    assert told("discussion.comment_on_mine") == {initiative.initiator_id}  # never to the author


def test_a_mention_finds_any_resident_of_the_kern_and_nobody_elsewhere(committing, kern, other_kern):
    thread = kern_thread(kern)
    author = factories.UserFactory(kern=kern)
    neighbour = factories.UserFactory(kern=kern, first_name="Gerda", last_name="Bakker")
    namesake_elsewhere = factories.UserFactory(kern=other_kern, first_name="Gerda", last_name="Bakker")
    committing(discussion_services.post_comment, thread=thread, author=author,
               body="@Gerda Bakker, weet u hoe laat het begint?")
    assert told("discussion.mention") == {neighbour.pk}
    assert namesake_elsewhere.pk not in told("discussion.mention")


def test_a_mention_of_someone_who_may_not_read_the_thread_tells_nobody(committing, kern):
    draft = InitiativeFactory(kern=kern, status=Status.DRAFT)
    neighbour = factories.UserFactory(kern=kern, first_name="Gerda", last_name="Bakker")
    thread = discussion_services.get_or_create_thread(target=draft)
    committing(discussion_services.post_comment, thread=thread, author=draft.initiator, body="@Gerda Bakker kijk eens")
    assert neighbour.pk not in told("discussion.mention")


def test_a_reply_tells_the_author_of_the_comment_once_even_when_also_mentioned(committing, kern):
    thread = kern_thread(kern)
    first = factories.UserFactory(kern=kern, first_name="Piet", last_name="Smit")
    replier = factories.UserFactory(kern=kern)
    parent = committing(discussion_services.post_comment, thread=thread, author=first, body="Wie helpt mee?")
    committing(discussion_services.post_comment, thread=thread, author=replier, body="Ik!", parent=parent)
    assert told("discussion.reply") == {first.pk}
    committing(discussion_services.post_comment, thread=thread, author=replier, body="@Piet Smit ik ook",
               parent=parent)
    assert Notification.objects.filter(recipient=first).count() == 2  # the reply, then one mention (not both)
    assert told("discussion.mention") == {first.pk}


def test_the_council_hears_of_the_first_report_and_it_goes_when_someone_decides(committing, kern):
    member = factories.CouncilMembershipFactory(kern=kern).user
    thread = kern_thread(kern)
    comment = committing(discussion_services.post_comment, thread=thread, author=factories.UserFactory(kern=kern),
                         body="Iets onaardigs")
    for reporter in (factories.UserFactory(kern=kern), factories.UserFactory(kern=kern)):
        committing(discussion_services.flag_comment, comment=comment, reporter=reporter, reason="Onaardig")
    assert Notification.objects.filter(kind="discussion.flagged", recipient=member).count() == 1
    assert unread_count(member) == 1
    committing(discussion_services.dismiss_flags, comment=comment, moderator=factories.StaffFactory())
    assert unread_count(member) == 0


def test_hiding_a_reported_comment_settles_the_report_and_tells_the_author(committing, kern):
    member = factories.CouncilMembershipFactory(kern=kern).user
    author = factories.UserFactory(kern=kern)
    comment = committing(discussion_services.post_comment, thread=kern_thread(kern), author=author, body="Hm")
    committing(discussion_services.flag_comment, comment=comment, reporter=factories.UserFactory(kern=kern),
               reason="Spam")
    committing(discussion_services.hide_comment, comment=comment, moderator=member, reason="Spam")
    assert unread_count(member) == 0
    assert told("discussion.comment_hidden") == {author.pk}


def test_staff_who_help_with_the_topic_hear_of_a_callback_and_the_requester_of_its_status(committing, kern):
    topic = factories.HelpTopicFactory()
    helper_profile = factories.StaffProfileFactory()
    helper_profile.topics.add(topic)
    helper = helper_profile.user
    other_staff = factories.StaffProfileFactory().user
    requester = factories.UserFactory(kern=kern)
    callback = committing(community_services.request_callback, requester=requester, name="Jan", phone="0184 123456",
                          topic=topic, kern=kern)
    assert told("community.callback_requested") == {helper.pk}
    assert other_staff.pk not in told("community.callback_requested")
    committing(community_services.handle_callback, actor=other_staff, callback=callback,
               status=CallbackRequest.Status.IN_PROGRESS)
    assert unread_count(helper) == 0  # a colleague took it up
    assert told("community.callback_status") == {requester.pk}


def test_a_callback_nobody_specialises_in_reaches_all_staff(committing):
    staff = {factories.StaffFactory().pk, factories.StaffFactory().pk}
    committing(community_services.request_callback, requester=None, name="Jan", phone="0184 123456")
    assert told("community.callback_requested") == staff


def test_followers_hear_when_funding_starts_and_how_it_ends(committing, kern):
    from datetime import timedelta

    from django.utils import timezone

    published = InitiativeFactory(kern=kern, status=Status.PUBLISHED, goal="100.00",
                                  deadline=timezone.localdate() + timedelta(days=5))
    follower = factories.UserFactory(kern=kern)
    committing(services.follow, user=follower, initiative=published)
    committing(services.start_funding, actor=published.initiator, initiative=published)
    assert told("initiatives.outcome") == {follower.pk}
    Notification.objects.all().delete()
    committing(services.settle_initiative, initiative_id=published.pk, today=published.deadline + timedelta(days=1))
    assert follower.pk in told("initiatives.outcome")
    assert Notification.objects.get(recipient=follower).params["variant"] == "not_funded"


def test_a_question_decided_before_it_was_delivered_reaches_nobody(django_capture_on_commit_callbacks, kern):
    """In production the telling runs in a background task: a colleague may decide before it runs."""
    member = factories.CouncilMembershipFactory(kern=kern).user
    colleague = factories.CouncilMembershipFactory(kern=kern).user
    draft = InitiativeFactory(kern=kern, status=Status.DRAFT)
    with django_capture_on_commit_callbacks() as delivery:
        services.submit_initiative(actor=draft.initiator, initiative=draft)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_initiative(actor=colleague, initiative=draft, reason="Goed")
    for callback in delivery:
        callback()  # the delayed delivery of "to review"
    assert unread_count(member) == 0 and not told("initiatives.to_review")
