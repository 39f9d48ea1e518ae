"""E-mail about notifications: at once and in digests, in the reader's language, HTML and text, never twice,
never empty, and a one-click unsubscribe that works without logging in."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.models import Delivery, Notification, NotificationPreference
from community.notifications import services
from community.notifications.email import digest_boundary, send_at_once, send_digests, unsubscribe_token
from community.notifications.kinds import Kind, register
from tests import factories

pytestmark = pytest.mark.django_db

KIND = "tests.email_kind"
OTHER_KIND = "tests.other_email_kind"


@pytest.fixture(autouse=True)
def _test_kinds():
    register(Kind(KIND, "Er gebeurde iets bij %(title)s", "Iets gebeurt", default=Delivery.AT_ONCE))
    register(Kind(OTHER_KIND, "Nog iets bij %(title)s", "Nog iets gebeurt", default=Delivery.DAILY))


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def tell(django_capture_on_commit_callbacks, recipients, kind=KIND, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind=kind, recipients=recipients, params={"title": "De speeltuin"}, url="/initiatieven/1/",
                        **extra)


def test_at_once_is_html_and_text_in_the_readers_language_with_one_click_unsubscribe(
        django_capture_on_commit_callbacks):
    from initiatives.notification_kinds import SUPPORT_RECEIVED

    english = factories.UserFactory(preferred_language="en", first_name="Anne", last_name="Smit")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind=SUPPORT_RECEIVED, recipients=[english], params={"name": "Jan", "title": "De speeltuin"},
                        url="/initiatieven/1/")
    NotificationPreference.objects.create(user=english, kind=SUPPORT_RECEIVED, delivery=Delivery.AT_ONCE)
    Notification.objects.update(delivery=Delivery.AT_ONCE)
    assert send_at_once(list(Notification.objects.values_list("pk", flat=True))) == 1
    [message] = mail.outbox
    assert message.to == [english.email]
    assert message.subject.endswith("Jan supports De speeltuin")
    assert message.body.startswith("Dear Anne,") and "http" in message.body and "/initiatieven/1/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and '<html lang="en">' in html and "Jan supports De speeltuin" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/meldingen/afmelden/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_dutch_reader_reads_dutch_and_is_greeted_as_they_chose(django_capture_on_commit_callbacks):
    person = factories.UserFactory(first_name="Jan", last_name="de Vries", address_as="sir")
    tell(django_capture_on_commit_callbacks, [person])
    [message] = mail.outbox
    assert message.body.startswith("Beste heer De Vries,") and "Er gebeurde iets bij De speeltuin" in message.body


def test_at_once_is_sent_once_even_when_the_task_runs_twice(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    tell(django_capture_on_commit_callbacks, [person])
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert send_at_once(ids) == 0  # already sent by the task that delivery queued
    assert len(mail.outbox) == 1 and Notification.objects.get().emailed_at is not None


def test_no_email_to_who_turned_email_off_after_the_notification_was_written(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        services.notify(kind=KIND, recipients=[person], params={"title": "x"})
    person.email_notifications = False
    person.save()
    for callback in callbacks:
        callback()
    assert not mail.outbox


def test_digest_boundaries_are_seven_in_the_morning_local_time():
    assert digest_boundary(Delivery.DAILY, local(2026, 12, 2, 9, 30)) == local(2026, 12, 2, 7, 0)
    assert digest_boundary(Delivery.DAILY, local(2026, 12, 2, 6, 59)) == local(2026, 12, 1, 7, 0)
    # 2 December 2026 is a Wednesday: the weekly digest was due on Monday the 30th of November.
    assert digest_boundary(Delivery.WEEKLY, local(2026, 12, 2, 9, 30)) == local(2026, 11, 30, 7, 0)
    assert digest_boundary(Delivery.WEEKLY, local(2026, 11, 30, 6, 0)) == local(2026, 11, 23, 7, 0)


def backdate(hours: int) -> None:
    Notification.objects.update(created_at=timezone.now() - timedelta(hours=hours))


def test_a_daily_digest_gathers_per_kern_and_is_sent_once(django_capture_on_commit_callbacks, kern, other_kern):
    person = factories.UserFactory(kern=kern)
    tell(django_capture_on_commit_callbacks, [person], kind=OTHER_KIND, kern=kern)
    tell(django_capture_on_commit_callbacks, [person], kind=OTHER_KIND, kern=other_kern)
    tell(django_capture_on_commit_callbacks, [person], kind=OTHER_KIND)
    assert not mail.outbox  # daily: nothing at once
    backdate(30)
    assert send_digests() == 1
    [message] = mail.outbox
    assert "Er zijn 3 nieuwe berichten voor u." in message.body
    assert f"== {kern.name} ==" in message.body and f"== {other_kern.name} ==" in message.body
    assert "== Algemeen ==" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert send_digests() == 0 and len(mail.outbox) == 1  # the next run finds them taken


def test_what_came_after_the_boundary_waits_for_the_next_digest(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    tell(django_capture_on_commit_callbacks, [person], kind=OTHER_KIND)
    now = timezone.now()
    Notification.objects.update(created_at=digest_boundary(Delivery.DAILY, now) + timedelta(seconds=1))
    assert send_digests(now) == 0 and not mail.outbox
    assert send_digests(now + timedelta(days=1)) == 1


def test_a_digest_is_never_empty(django_capture_on_commit_callbacks):
    reader, settled = factories.UserFactory(), factories.UserFactory()
    tell(django_capture_on_commit_callbacks, [reader], kind=OTHER_KIND)
    tell(django_capture_on_commit_callbacks, [settled], kind=OTHER_KIND, about="initiative:5")
    services.mark_read(user=reader, up_to_id=Notification.objects.filter(recipient=reader).get().pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve(about="initiative:5", kinds_=[OTHER_KIND])
    backdate(30)
    assert send_digests() == 0
    assert not mail.outbox
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()  # and they do not come back later


def test_a_weekly_digest_waits_for_monday(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    NotificationPreference.objects.create(user=person, kind=OTHER_KIND, delivery=Delivery.WEEKLY)
    tell(django_capture_on_commit_callbacks, [person], kind=OTHER_KIND)
    Notification.objects.update(created_at=local(2026, 12, 1, 12, 0))  # a Tuesday
    assert send_digests(local(2026, 12, 4, 9, 0)) == 0  # Friday: not yet
    assert send_digests(local(2026, 12, 7, 7, 30)) == 1  # Monday morning
    assert "deze week" in mail.outbox[0].subject


def test_changing_the_choice_moves_what_still_waits(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    tell(django_capture_on_commit_callbacks, [person], kind=OTHER_KIND)
    services.set_deliveries(user=person, deliveries={OTHER_KIND: Delivery.NEVER})
    backdate(30)
    assert send_digests() == 0
    with pytest.raises(ValueError):
        services.set_deliveries(user=person, deliveries={OTHER_KIND: "hourly"})
    with pytest.raises(ValueError):
        services.set_deliveries(user=person, deliveries={"tests.unknown": Delivery.DAILY})
    assert NotificationPreference.objects.get(user=person, kind=OTHER_KIND).delivery == Delivery.NEVER


class TestUnsubscribe:
    def test_get_asks_and_changes_nothing(self, django_capture_on_commit_callbacks):
        person = factories.UserFactory()
        response = Client().get(reverse("community:unsubscribe", args=[unsubscribe_token(person, KIND)]))
        assert response.status_code == 200 and b"Ja, afmelden" in response.content
        assert not NotificationPreference.objects.exists()

    def test_one_click_post_without_session_or_csrf_token_unsubscribes_from_that_kind(
            self, django_capture_on_commit_callbacks):
        person = factories.UserFactory()
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("community:unsubscribe", args=[unsubscribe_token(person, KIND)]),
                               {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert NotificationPreference.objects.get(user=person, kind=KIND).delivery == Delivery.NEVER
        tell(django_capture_on_commit_callbacks, [person])
        tell(django_capture_on_commit_callbacks, [person], kind=OTHER_KIND)
        assert not mail.outbox  # this kind: no more e-mail
        backdate(30)
        assert send_digests() == 1  # the other kind still comes

    def test_unsubscribe_from_everything_stops_what_waits_too(self, django_capture_on_commit_callbacks):
        person = factories.UserFactory()
        tell(django_capture_on_commit_callbacks, [person], kind=OTHER_KIND)
        Client().post(reverse("community:unsubscribe", args=[unsubscribe_token(person, None)]))
        person.refresh_from_db()
        assert person.email_notifications is False
        backdate(30)
        assert send_digests() == 0 and not mail.outbox

    @pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxLCJrIjoiKiJ9:forged:signature"])
    def test_a_forged_token_changes_nothing(self, token):
        person = factories.UserFactory()
        response = Client().post(reverse("community:unsubscribe", args=[token]))
        assert response.status_code == 400
        person.refresh_from_db()
        assert person.email_notifications is True and not NotificationPreference.objects.exists()

    def test_a_token_for_an_unknown_kind_or_an_erased_person_changes_nothing(self):
        person = factories.UserFactory()
        assert Client().post(reverse("community:unsubscribe", args=[unsubscribe_token(person, "x.gone")])) \
            .status_code == 400
        gone = factories.UserFactory(is_active=False)
        assert Client().post(reverse("community:unsubscribe", args=[unsubscribe_token(gone, None)])).status_code == 400
        assert not NotificationPreference.objects.exists()


def test_a_choice_moves_only_this_persons_waiting_notifications_of_that_kind(django_capture_on_commit_callbacks):
    person, neighbour = factories.UserFactory(), factories.UserFactory()
    tell(django_capture_on_commit_callbacks, [person, neighbour], kind=OTHER_KIND)
    tell(django_capture_on_commit_callbacks, [person], kind=KIND)  # at once, already sent
    services.set_deliveries(user=person, deliveries={OTHER_KIND: Delivery.WEEKLY, KIND: Delivery.DAILY})
    deliveries = {(n.recipient_id, n.kind): n.delivery for n in Notification.objects.all()}
    assert deliveries == {(person.pk, OTHER_KIND): Delivery.WEEKLY, (neighbour.pk, OTHER_KIND): Delivery.DAILY,
                          (person.pk, KIND): Delivery.AT_ONCE}
    assert services.effective_deliveries(neighbour)[OTHER_KIND] == Delivery.DAILY  # not the person's choice
    assert services.effective_deliveries(person)[OTHER_KIND] == Delivery.WEEKLY


def test_unsubscribing_from_everything_touches_only_that_person(django_capture_on_commit_callbacks):
    person, neighbour = factories.UserFactory(), factories.UserFactory()
    tell(django_capture_on_commit_callbacks, [person, neighbour], kind=OTHER_KIND)
    services.unsubscribe(user=person, kind=None)
    assert person.email_notifications is False
    neighbour.refresh_from_db()
    assert neighbour.email_notifications is True
    assert Notification.objects.get(recipient=neighbour).delivery == Delivery.DAILY
    assert Notification.objects.get(recipient=person).delivery == Delivery.NEVER
