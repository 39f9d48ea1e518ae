"""Kernen, onboarding, the personal home, the profile that remembers, residency confirmation."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from community import services
from community.models import Kern, User
from community.selectors import greeting_for
from tests import factories

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def test_the_21_kernen_are_seeded_and_seeding_twice_duplicates_nothing():
    first = services.seed_kernen()
    second = services.seed_kernen()
    assert (first.created, first.updated) == (21, 0)
    assert (second.created, second.updated) == (0, 21)
    assert Kern.objects.count() == 21
    names = set(Kern.objects.values_list("name", flat=True))
    assert {"Arkel", "Kinderdijk", "Groot-Ammers", "Bleskensgraaf", "Wijngaarden"} <= names
    arkel = Kern.objects.get(slug="arkel")
    assert 51.8 < float(arkel.latitude) < 52.0 and arkel.postcode_prefixes == ["4241"]


def test_seed_demo_twice_creates_each_thing_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    counts = (User.objects.count(), Kern.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (User.objects.count(), Kern.objects.count()) == counts
    from wagtail.models import Page

    from cms.models import KernPage

    assert KernPage.objects.live().filter(locale__language_code="nl").count() == 21
    english = Page.objects.filter(locale__language_code="en")
    assert english.count() == len(set(english.values_list("translation_key", flat=True)))  # each once
    assert KernPage.objects.filter(locale__language_code="en").count() == 4  # the rest is Dutch only


def test_seed_demo_refuses_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


@pytest.mark.parametrize(
    ("hour", "expected"),
    [(0, "Goedenacht"), (5, "Goedenacht"), (6, "Goedemorgen"), (11, "Goedemorgen"), (12, "Goedemiddag"),
     (17, "Goedemiddag"), (18, "Goedenavond"), (23, "Goedenavond")],
)
def test_greeting_follows_local_time_of_day(hour, expected):
    assert greeting_for(datetime.datetime(2026, 11, 28, hour, 30, tzinfo=AMS)) == expected


def test_personal_home_greets_by_name_and_shows_the_kern(client, resident):
    client.force_login(resident)
    response = client.get(reverse("community:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{greeting_for()} Jan" in html
    assert resident.kern.name in html


def test_new_resident_without_kern_is_sent_to_pick_one(client, kern):
    user = factories.UserFactory(kern=None, first_name="Fleur")
    client.force_login(user)
    response = client.get(reverse("community:home"))
    assert response.status_code == 302 and response.url == reverse("community:choose_kern")
    response = client.post(reverse("community:choose_kern"), {"kern": kern.pk})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.kern == kern
    assert "Goede" in client.get(reverse("community:home")).content.decode()


@pytest.mark.parametrize("bad", ["", "999999", "arkel", "1; DROP TABLE community_kern"])
def test_choosing_a_kern_that_does_not_exist_changes_nothing(client, kern, bad):
    user = factories.UserFactory(kern=None)
    client.force_login(user)
    response = client.post(reverse("community:choose_kern"), {"kern": bad})
    assert response.status_code == 200
    assert "Kies" in response.content.decode()
    user.refresh_from_db()
    assert user.kern is None


def test_anonymous_is_asked_to_log_in(client):
    for name in ("community:home", "community:choose_kern", "community:profile", "community:staff_desk"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_profile_remembers_and_prefills(client, resident, other_kern):
    client.force_login(resident)
    response = client.post(reverse("community:profile"), {
        "first_name": "Jan", "last_name": "Jansen", "kern": other_kern.pk, "postcode": "2961 ab",
        "phone": "0184 654321", "preferred_language": "en", "large_text": "on", "email_notifications": "",
    })
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.last_name, resident.kern, resident.postcode, resident.phone) == (
        "Jansen", other_kern, "2961AB", "0184 654321")
    assert resident.large_text and not resident.email_notifications and resident.preferred_language == "en"
    # The call-back form asks nothing we already know.
    form_html = client.get(reverse("community:contact")).content.decode()
    assert 'value="0184 654321"' in form_html and f'value="{resident.email}"' in form_html


@pytest.mark.parametrize("postcode", ["12", "ABCD12", "1234567"])
def test_profile_rejects_a_malformed_postcode(client, resident, postcode):
    client.force_login(resident)
    response = client.post(reverse("community:profile"), {
        "first_name": "Jan", "last_name": "", "kern": resident.kern_id, "postcode": postcode, "phone": "",
        "preferred_language": "nl",
    })
    assert response.status_code == 200 and "1234 AB" in response.content.decode()
    resident.refresh_from_db()
    assert resident.postcode == ""


def test_moving_kern_ends_the_residency_confirmation(verified_resident, other_kern):
    moved = services.choose_kern(user=verified_resident, kern=other_kern)
    assert moved.residency_verified_at is None


def test_council_confirms_a_neighbour_not_a_stranger(council_member, resident, other_kern,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.confirm_residency(actor=council_member, resident=resident)
    assert confirmed.residency_verified_at is not None and confirmed.residency_verified_by == council_member
    assert confirmed.notifications.count() == 1
    stranger = factories.UserFactory(kern=other_kern)
    with pytest.raises(PermissionDenied):
        services.confirm_residency(actor=User.objects.get(pk=council_member.pk), resident=stranger)
    stranger.refresh_from_db()
    assert stranger.residency_verified_at is None


def test_confirming_someone_without_kern_is_a_clear_error(staff):
    user = factories.UserFactory(kern=None)
    with pytest.raises(ValidationError):
        services.confirm_residency(actor=staff, resident=user)


def test_council_page_lists_only_own_kern_and_confirms(client, council_member, resident, other_kern):
    stranger = factories.UserFactory(kern=other_kern, first_name="Zwaantje")
    client.force_login(council_member)
    html = client.get(reverse("community:residents_to_confirm")).content.decode()
    assert resident.display_name in html and "Zwaantje" not in html
    forged = client.post(reverse("community:confirm_residency", args=[stranger.pk]))
    assert forged.status_code == 403
    ok = client.post(reverse("community:confirm_residency", args=[resident.pk]))
    assert ok.status_code == 302
    resident.refresh_from_db()
    assert resident.residency_verified_at is not None


def test_plain_residents_cannot_open_the_council_page(client, resident):
    client.force_login(resident)
    assert client.get(reverse("community:residents_to_confirm")).status_code == 403


def test_kern_page_query_count_does_not_grow_with_council_size(client, django_assert_max_num_queries, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    arkel = Kern.objects.get(slug="arkel")
    factories.CouncilMembershipFactory.create_batch(3, kern=arkel)
    client.get("/kernen/arkel/")  # warm the per-process caches (site root paths)
    with django_assert_max_num_queries(18) as small:
        assert client.get("/kernen/arkel/").status_code == 200
    factories.CouncilMembershipFactory.create_batch(30, kern=arkel)
    with django_assert_max_num_queries(18) as large:
        assert client.get("/kernen/arkel/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
