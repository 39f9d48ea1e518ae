"""The one notification mechanism: after commit, once per person per event, never the actor, never to who
may not see, in the reader's language, settled by a decision, the unread count pushed live."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from community.models import Delivery, Notification, NotificationPreference
from community.notifications import services
from community.notifications.kinds import Kind, register
from initiatives.models import Status
from live.models import LiveEvent
from tests import factories
from tests.factories_initiatives import InitiativeFactory

pytestmark = pytest.mark.django_db

KIND = "tests.something_happened"


@pytest.fixture(autouse=True)
def _test_kind():
    register(Kind(KIND, "%(name)s deed iets", "Iemand doet iets", default=Delivery.AT_ONCE))


def tell(recipients, **extra):
    services.notify(kind=KIND, recipients=recipients, params={"name": "Anna"}, **extra)


def test_told_after_commit_and_not_at_all_after_a_rollback(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        tell([person])
        assert not Notification.objects.exists()  # nothing before the commit
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    assert Notification.objects.get(recipient=person).text == "Anna deed iets"

    class Rollback(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Rollback), transaction.atomic():
        tell([factories.UserFactory()])
        raise Rollback
    assert Notification.objects.count() == 1


def test_an_unknown_kind_fails_in_the_callers_transaction():
    with pytest.raises(KeyError):
        services.notify(kind="tests.no_such_kind", recipients=[factories.UserFactory()])


def test_the_actor_is_never_told_of_their_own_act(django_capture_on_commit_callbacks):
    actor, other = factories.UserFactory(), factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([actor, other, None], actor=actor)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [other.pk]


def test_one_event_tells_each_person_once_however_often_it_is_delivered(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([person, person], event_key="event:1")
        tell([person], event_key="event:1")
    assert Notification.objects.filter(recipient=person).count() == 1
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        tell([person])  # no event key: each call is its own event
        tell([person])
    assert Notification.objects.filter(recipient=person).count() == 3


def test_who_may_not_see_the_object_is_not_told(django_capture_on_commit_callbacks, kern, other_kern):
    draft = InitiativeFactory(kern=kern, status=Status.DRAFT)
    stranger = factories.UserFactory(kern=other_kern)
    with django_capture_on_commit_callbacks(execute=True):
        tell([draft.initiator, stranger], visible=("initiatives.view_initiative", draft))
    assert list(Notification.objects.values_list("recipient", flat=True)) == [draft.initiator_id]


def test_nobody_is_told_about_an_object_that_is_gone(django_capture_on_commit_callbacks):
    draft = InitiativeFactory(status=Status.DRAFT)
    person = draft.initiator
    with django_capture_on_commit_callbacks() as callbacks:
        tell([person], visible=("initiatives.view_initiative", draft))
    draft.delete()
    for callback in callbacks:
        callback()
    assert not Notification.objects.exists()


def test_inactive_people_are_not_told(django_capture_on_commit_callbacks):
    gone = factories.UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        tell([gone])
    assert not Notification.objects.exists()


def test_delivery_follows_the_persons_choice_else_the_kinds_default(django_capture_on_commit_callbacks):
    default, weekly, no_email = factories.UserFactory(), factories.UserFactory(), factories.UserFactory()
    NotificationPreference.objects.create(user=weekly, kind=KIND, delivery=Delivery.WEEKLY)
    no_email.email_notifications = False
    no_email.save()
    with django_capture_on_commit_callbacks(execute=True):
        tell([default, weekly, no_email])
    deliveries = dict(Notification.objects.values_list("recipient_id", "delivery"))
    assert deliveries == {default.pk: Delivery.AT_ONCE, weekly.pk: Delivery.WEEKLY, no_email.pk: Delivery.NEVER}
    assert [message.to for message in mail.outbox] == [[default.email]]


def test_the_text_is_in_the_readers_language(django_capture_on_commit_callbacks):
    from initiatives.notification_kinds import PLEDGE_RECEIVED

    initiative = InitiativeFactory(status=Status.FUNDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind=PLEDGE_RECEIVED, recipients=[initiative.initiator],
                        params={"name": "Anna", "title": initiative.title, "pledge_kind": "money", "value": "4500.00"})
    notification = Notification.objects.get()
    with translation.override("nl"):
        assert notification.text == f"Anna doet een toezegging voor {initiative.title}: €\xa04.500,00"
    with translation.override("en"):
        assert notification.text == f"Anna made a pledge to {initiative.title}: €4,500.00"


def test_a_decision_settles_the_question_for_everyone_it_was_asked_of(django_capture_on_commit_callbacks):
    first, second = factories.UserFactory(), factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([first, second], about="initiative:1")
        tell([first], about="initiative:2")
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(about="initiative:1", kinds_=[KIND])
    assert services.unread_count(first) == 1 and services.unread_count(second) == 0
    assert Notification.objects.filter(about="initiative:1", resolved_at__isnull=False).count() == 2


def test_a_settled_notification_is_not_emailed_afterwards(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([person], about="x:1")
    mail.outbox.clear()
    notification = Notification.objects.get()
    Notification.objects.update(emailed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(about="x:1", kinds_=[KIND])
    from community.notifications.email import send_at_once

    assert send_at_once([notification.pk]) == 0 and not mail.outbox


def test_the_unread_count_is_pushed_live_and_only_the_newest_is_kept(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([person])
        tell([person])
    events = list(LiveEvent.objects.filter(stream=services.unread_stream(person.pk)))
    assert [(event.type, event.payload) for event in events] == [("unread", {"unread": 2})]
    assert events[0].seq == 2  # the numbering goes on: a client that saw seq 1 gets seq 2
    newest = Notification.objects.filter(recipient=person).first()
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_read(user=person, notification_id=newest.pk)
    assert LiveEvent.objects.get(stream=services.unread_stream(person.pk)).payload == {"unread": 1}


def test_marking_read_touches_only_ones_own_and_only_what_was_shown(django_capture_on_commit_callbacks):
    person, other = factories.UserFactory(), factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([person, other])
        tell([person])
    shown, later = Notification.objects.filter(recipient=person).order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):  # the count changes when the marks are committed
        assert services.mark_read(user=person, up_to_id=shown.pk) == 1
        assert services.mark_read(user=person, notification_id=Notification.objects.get(recipient=other).pk) == 0
        assert services.mark_read(user=person) == 0
    assert services.unread_count(person) == 1 and services.unread_count(other) == 1


def test_telling_nobody_queues_nothing(django_capture_on_commit_callbacks):
    actor = factories.UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        tell([actor, None], actor=actor)
    assert callbacks == []


def test_a_failing_delivery_never_turns_the_committed_write_into_an_error(django_capture_on_commit_callbacks,
                                                                         monkeypatch):
    from community import tasks

    class QueueUnavailable:
        def enqueue(self, **kwargs):
            raise ConnectionError("the task queue is down")

    monkeypatch.setattr(tasks, "deliver_notifications", QueueUnavailable())
    with django_capture_on_commit_callbacks(execute=True):
        tell([factories.UserFactory()])  # robust: logged, not raised
    assert not Notification.objects.exists()


def test_visibility_is_asked_of_the_object_the_event_is_about(django_capture_on_commit_callbacks, kern, other_kern):
    InitiativeFactory(kern=kern, status=Status.FUNDING)  # another object, one the stranger may see
    draft = InitiativeFactory(kern=kern, status=Status.DRAFT)
    stranger = factories.UserFactory(kern=other_kern)
    with django_capture_on_commit_callbacks(execute=True):
        tell([stranger], visible=("initiatives.view_initiative", draft))
    assert not Notification.objects.exists()


def test_a_delivery_returns_only_what_it_wrote_now():
    person, other = factories.UserFactory(), factories.UserFactory()
    services.deliver(kind=KIND, recipient_ids=[other.pk], params={"name": "A"}, event_key="event:9")
    services.deliver(kind=KIND, recipient_ids=[person.pk], params={"name": "A"}, event_key="event:8")
    first = services.deliver(kind=KIND, recipient_ids=[person.pk, other.pk], params={"name": "A"},
                             event_key="event:9")
    assert [n.recipient_id for n in first] == [person.pk]  # not the other, told of event 9 before
    assert [n.event_key for n in first] == ["event:9"]  # not person's notification of event 8
    assert services.deliver(kind=KIND, recipient_ids=[person.pk], params={"name": "A"}, event_key="event:9") == []


def test_a_long_title_is_kept_to_the_stored_length(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind=KIND, recipients=[person], params={"name": "x" * 400})
    assert len(Notification.objects.get().title) == 200


def test_a_visitor_has_no_unread_count():
    from django.contrib.auth.models import AnonymousUser

    assert services.unread_count(AnonymousUser()) == 0


def test_a_failing_count_push_never_turns_a_decision_into_an_error(django_capture_on_commit_callbacks, monkeypatch):
    person = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([person], about="initiative:3")

    def live_unavailable(user_id):
        raise ConnectionError("the live service is down")

    monkeypatch.setattr(services, "push_unread_count", live_unavailable)
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(about="initiative:3", kinds_=[KIND])  # robust: logged, not raised
    assert Notification.objects.get().resolved_at is not None


def test_marking_read_again_keeps_the_first_moment(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([person])
    notification = Notification.objects.get()
    services.mark_read(user=person, notification_id=notification.pk)
    first = Notification.objects.get().read_at
    assert services.mark_read(user=person, up_to_id=notification.pk) == 0
    assert Notification.objects.get().read_at == first


def test_each_person_counts_only_their_own_and_keeps_their_own_newest_event(django_capture_on_commit_callbacks):
    person, neighbour = factories.UserFactory(), factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([person, neighbour])
        tell([neighbour])
    assert LiveEvent.objects.get(stream=services.unread_stream(person.pk)).payload == {"unread": 1}
    assert LiveEvent.objects.get(stream=services.unread_stream(neighbour.pk)).payload == {"unread": 2}


def test_the_unread_count_is_kept_and_follows_every_change(django_capture_on_commit_callbacks,
                                                            django_assert_num_queries):
    person = factories.UserFactory()
    with django_assert_num_queries(1):
        assert services.unread_count(person) == 0
        assert services.unread_count(person) == 0  # kept: no second count
    with django_capture_on_commit_callbacks(execute=True):
        tell([person])
    with django_assert_num_queries(0):
        assert services.unread_count(person) == 1  # the delivery wrote the new count
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_read(user=person, up_to_id=Notification.objects.get(recipient=person).pk)
    with django_assert_num_queries(0):
        assert services.unread_count(person) == 0


def test_a_count_taken_before_a_change_never_replaces_the_newer_one(django_capture_on_commit_callbacks,
                                                                     monkeypatch):
    from django.core.cache import cache

    person = factories.UserFactory()
    real_count = Notification.objects.filter(recipient=person).unread().count()

    def deliver_meanwhile(key, value, timeout):  # the page counted 0; a delivery lands before it keeps it
        with django_capture_on_commit_callbacks(execute=True):
            tell([person])
        return original_add(key, value, timeout)

    original_add = cache.add
    monkeypatch.setattr(cache, "add", deliver_meanwhile)
    assert services.unread_count(person) == real_count == 0
    monkeypatch.undo()
    assert services.unread_count(person) == 1


def test_an_erased_person_leaves_no_count_behind(django_capture_on_commit_callbacks):
    from community.privacy import erase_personal_data

    person = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([person])
    assert services.unread_count(person) == 1
    with django_capture_on_commit_callbacks(execute=True):
        erase_personal_data(person)
    assert services.unread_count(person) == 0


def test_a_mark_read_that_rolls_back_leaves_the_kept_count(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([person])
    assert services.unread_count(person) == 1

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.mark_read(user=person, up_to_id=Notification.objects.get(recipient=person).pk)
        raise RolledBack
    assert services.unread_count(person) == 1  # nothing was marked: the count kept is not touched


def test_a_list_of_choices_with_one_bad_entry_stores_none_of_them():
    person = factories.UserFactory()
    with pytest.raises(ValueError):
        services.set_deliveries(user=person, deliveries={KIND: Delivery.NEVER, "tests.no_such_kind": Delivery.DAILY})
    assert not NotificationPreference.objects.filter(user=person).exists()


def test_a_new_choice_leaves_what_was_e_mailed_and_what_goes_at_once(django_capture_on_commit_callbacks):
    from django.utils import timezone

    person = factories.UserFactory()
    sent = factories.NotificationFactory(recipient=person, kind=KIND, delivery=Delivery.DAILY,
                                         emailed_at=timezone.now())
    at_once = factories.NotificationFactory(recipient=person, kind=KIND, delivery=Delivery.AT_ONCE)
    waiting = factories.NotificationFactory(recipient=person, kind=KIND, delivery=Delivery.DAILY)
    services.set_deliveries(user=person, deliveries={KIND: Delivery.WEEKLY})
    sent.refresh_from_db(), at_once.refresh_from_db(), waiting.refresh_from_db()
    assert (sent.delivery, at_once.delivery, waiting.delivery) == (Delivery.DAILY, Delivery.AT_ONCE, Delivery.WEEKLY)
    services.unsubscribe(user=person, kind=None)
    sent.refresh_from_db(), waiting.refresh_from_db()
    assert (sent.delivery, waiting.delivery) == (Delivery.DAILY, Delivery.NEVER)  # what was sent stays as sent
