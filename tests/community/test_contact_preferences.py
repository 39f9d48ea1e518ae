"""A request for contact says how and when, promises a date (a service promise per way of contact, set in the
admin), and can be handed to a colleague, who is told."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from community import services
from community.models import CallbackRequest, Notification, ServicePromise
from tests import factories

pytestmark = pytest.mark.django_db

FORM = {"name": "Kees van Dam", "phone": "0184 123456", "email": "", "kern": "", "topic": "", "message": "Stoep",
        "preferred_moment": "morning", "channel": "home"}


@pytest.mark.parametrize(("start", "days", "expected"), [
    (date(2026, 12, 2), 2, date(2026, 12, 4)),  # Wednesday + 2 = Friday
    (date(2026, 12, 3), 2, date(2026, 12, 7)),  # Thursday + 2 = Monday: the weekend does not count
    (date(2026, 12, 5), 1, date(2026, 12, 7)),  # asked on a Saturday: Monday
])
def test_working_days_skip_the_weekend(start, days, expected):
    assert services.add_working_days(start, days) == expected


def test_the_promise_follows_the_admin_else_the_default():
    today = date(2026, 12, 2)
    assert services.promised_answer_date(CallbackRequest.Channel.PHONE, today) == date(2026, 12, 4)
    assert services.promised_answer_date(CallbackRequest.Channel.HOME, today) == date(2026, 12, 9)
    ServicePromise.objects.create(channel=CallbackRequest.Channel.HOME, working_days=10)
    assert services.promised_answer_date(CallbackRequest.Channel.HOME, today) == date(2026, 12, 16)


def test_the_contact_page_asks_how_and_when_and_says_when_you_hear_from_us(client):
    html = client.get(reverse("community:contact")).content.decode()
    assert "Een bezoek bij u thuis" in html and "Een gesprek in het dorpshuis" in html and "Beeldbellen" in html
    assert "Wanneer hoort u van ons?" in html and "binnen 2 werkdagen" in html
    response = client.post(reverse("community:contact"), FORM, follow=True)
    stored = CallbackRequest.objects.get()
    assert stored.channel == CallbackRequest.Channel.HOME and stored.preferred_moment == "morning"
    assert stored.answer_by == services.promised_answer_date(CallbackRequest.Channel.HOME, stored.created_at.date())
    assert "U hoort uiterlijk" in response.content.decode()


def test_a_request_can_be_handed_to_a_colleague_who_is_told(django_capture_on_commit_callbacks):
    first, colleague = factories.StaffFactory(), factories.StaffFactory()
    callback = factories.CallbackRequestFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.handle_callback(actor=first, callback=callback, status=CallbackRequest.Status.IN_PROGRESS,
                                 hand_to=colleague)
    callback.refresh_from_db()
    assert callback.assigned_to == colleague
    assert list(Notification.objects.filter(kind="community.callback_handed_on")
                .values_list("recipient", flat=True)) == [colleague.pk]


def test_handing_to_someone_who_is_not_staff_changes_nothing(django_capture_on_commit_callbacks):
    callback = factories.CallbackRequestFactory()
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        services.handle_callback(actor=factories.StaffFactory(), callback=callback,
                                 status=CallbackRequest.Status.IN_PROGRESS, hand_to=factories.UserFactory())
    callback.refresh_from_db()
    assert callback.status == CallbackRequest.Status.OPEN and callback.assigned_to is None
    assert not Notification.objects.filter(kind="community.callback_handed_on").exists()


def test_the_desk_hands_on_and_refuses_a_forged_colleague():
    first, colleague = factories.StaffFactory(), factories.StaffFactory()
    callback = factories.CallbackRequestFactory()
    client = Client()
    client.force_login(first)
    desk = client.get(reverse("community:staff_desk")).content.decode()
    assert f'<option value="{colleague.pk}">' in desk
    url = reverse("community:handle_callback", args=[callback.pk])
    client.post(url, {"status": "in_progress", "hand_to": factories.UserFactory().pk})
    callback.refresh_from_db()
    assert callback.status == CallbackRequest.Status.OPEN
    client.post(url, {"status": "in_progress", "hand_to": colleague.pk, "note": "Jij kent hem"})
    callback.refresh_from_db()
    assert callback.assigned_to == colleague and callback.staff_note == "Jij kent hem"


def test_only_staff_set_service_promises():
    promise = ServicePromise(channel=CallbackRequest.Channel.VIDEO, working_days=3)
    with pytest.raises(PermissionDenied):
        services.save_service_promise(actor=factories.UserFactory(), promise=promise)
    services.save_service_promise(actor=factories.StaffFactory(), promise=promise)
    with pytest.raises(ValidationError):
        services.save_service_promise(actor=factories.StaffFactory(),
                                      promise=ServicePromise(channel=CallbackRequest.Channel.PHONE, working_days=0))
