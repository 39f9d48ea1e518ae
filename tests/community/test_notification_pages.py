"""The notification centre, opening a notification, the e-mail settings, and the header badge."""

import pytest
from django.test import Client
from django.urls import reverse

from community.models import Delivery, Notification, NotificationPreference
from community.notifications import services
from community.notifications.kinds import Kind, register
from tests import factories

pytestmark = pytest.mark.django_db

KIND = "tests.page_kind"


@pytest.fixture(autouse=True)
def _test_kind():
    register(Kind(KIND, "Nieuws over %(title)s", "Nieuws", default=Delivery.DAILY))


def notifications_for(person, count: int, django_capture_on_commit_callbacks, url="/initiatieven/"):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(count):
            services.notify(kind=KIND, recipients=[person], params={"title": f"plan {number}"}, url=url)


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize("count", [1, 40])
def test_the_centre_needs_the_same_queries_for_one_or_forty(count, django_capture_on_commit_callbacks,
                                                            django_assert_max_num_queries):
    person = factories.UserFactory()
    notifications_for(person, count, django_capture_on_commit_callbacks)
    client = signed_in(person)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("community:notifications"))
    assert response.status_code == 200
    assert response.content.count(b'class="notification__text"') == min(count, 30)
    assert f'data-unread-number>{count}<'.encode() in response.content  # the header badge


def test_the_centre_filters_new_ones_and_shows_settled_ones_as_such(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    notifications_for(person, 2, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(kind=KIND, recipients=[person], params={"title": "besluit"}, about="initiative:9")
        services.resolve(about="initiative:9", kinds_=[KIND])
    client = signed_in(person)
    everything = client.get(reverse("community:notifications")).content.decode()
    assert "Al afgehandeld" in everything and "Nieuws over besluit" in everything
    only_new = client.get(reverse("community:notifications") + "?toon=ongelezen").content.decode()
    assert "Nieuws over besluit" not in only_new and only_new.count('class="notification__text"') == 2


def test_opening_a_notification_marks_it_read_and_goes_there(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    notifications_for(person, 1, django_capture_on_commit_callbacks, url="/initiatieven/7/")
    notification = Notification.objects.get()
    response = signed_in(person).post(reverse("community:open_notification", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/initiatieven/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_leaves_the_site(django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    notifications_for(person, 1, django_capture_on_commit_callbacks, url="https://evil.example/")
    response = signed_in(person).post(reverse("community:open_notification", args=[Notification.objects.get().pk]))
    assert response["Location"] == reverse("community:notifications")


def test_someone_elses_notification_cannot_be_opened_and_stays_unread(django_capture_on_commit_callbacks):
    owner = factories.UserFactory()
    notifications_for(owner, 1, django_capture_on_commit_callbacks)
    notification = Notification.objects.get()
    response = signed_in(factories.UserFactory()).post(reverse("community:open_notification", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_is_a_post_only():
    person = factories.UserFactory()
    assert signed_in(person).get(reverse("community:open_notification", args=[1])).status_code == 405


@pytest.mark.parametrize("up_to_id", ["", "abc", "-1", str(2**63)])
def test_marking_read_with_a_bad_id_changes_nothing(up_to_id, django_capture_on_commit_callbacks):
    person = factories.UserFactory()
    notifications_for(person, 1, django_capture_on_commit_callbacks)
    signed_in(person).post(reverse("community:mark_notifications_read"), {"up_to_id": up_to_id})
    assert Notification.objects.get().read_at is None


def test_settings_offer_council_choices_only_to_council_members(kern):
    resident = factories.UserFactory(kern=kern)
    member = factories.CouncilMembershipFactory(kern=kern).user
    staff = factories.StaffFactory()
    url = reverse("community:notification_settings")
    as_resident = signed_in(resident).get(url).content.decode()
    assert "Voor de dorpsraad" not in as_resident and "Voor medewerkers" not in as_resident
    assert 'name="initiatives.pledge_received"' in as_resident
    assert "Voor de dorpsraad" in signed_in(member).get(url).content.decode()
    assert "Voor medewerkers" in signed_in(staff).get(url).content.decode()


def test_settings_are_saved_and_a_bad_value_changes_nothing():
    person = factories.UserFactory()
    client = signed_in(person)
    url = reverse("community:notification_settings")
    current = services.effective_deliveries(person)
    visible = [key for key in current if f'name="{key}"'.encode() in client.get(url).content]
    choices = {key: current[key] for key in visible}
    bad = {**choices, "initiatives.pledge_received": "<script>"}
    assert client.post(url, bad).status_code == 200
    assert not NotificationPreference.objects.exists()
    response = client.post(url, {**choices, "initiatives.pledge_received": Delivery.WEEKLY})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=person, kind="initiatives.pledge_received").delivery == "weekly"


def test_visitors_are_sent_to_log_in():
    for name in ("notifications", "notification_settings"):
        response = Client().get(reverse(f"community:{name}"))
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(("language", "many"), [("nl", "U heeft %(count)s nieuwe meldingen"),
                                                ("en", "You have %(count)s new notifications")])
def test_the_live_badge_announces_a_count_in_the_page_language(language, many):
    client = Client()
    client.force_login(factories.UserFactory())
    client.cookies["django_language"] = language
    text = client.get(reverse("community:notifications")).content.decode()
    assert f'data-text-many="{many}"' in text  # the script fills in the number
