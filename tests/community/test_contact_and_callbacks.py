"""Talk to a person: staff with faces, call-back requests stored and shown to staff only."""

import pytest
from django.urls import reverse

from community.models import CallbackRequest
from tests import factories

pytestmark = pytest.mark.django_db

VALID = {"name": "Kees van Dam", "phone": "0184 123456", "email": "", "kern": "", "topic": "", "message": "Stoep",
         "preferred_moment": "morning", "channel": "phone"}


def test_contact_page_shows_staff_faces_and_topics(client):
    topic = factories.HelpTopicFactory(name="Afval")
    profile = factories.StaffProfileFactory(user__first_name="Fatima", job_title="Kernconsulent")
    profile.topics.add(topic)
    hidden = factories.StaffProfileFactory(user__first_name="Verborgen", is_public=False)
    html = client.get(reverse("community:contact")).content.decode()
    assert "Fatima" in html and "Kernconsulent" in html and "Afval" in html
    assert hidden.user.first_name not in html


def test_every_page_offers_a_way_to_reach_a_human(client, resident):
    client.force_login(resident)
    for url in [reverse("community:home"), reverse("community:contact"), reverse("community:profile"),
                reverse("search")]:
        html = client.get(url).content.decode()
        assert "Praat met een medewerker" in html and reverse("community:contact") in html


def test_anonymous_callback_request_is_stored(client):
    response = client.post(reverse("community:contact"), VALID)
    assert response.status_code == 302
    callback = CallbackRequest.objects.get()
    assert (callback.name, callback.phone, callback.requester, callback.status) == (
        "Kees van Dam", "0184 123456", None, "open")


def test_signed_in_callback_is_linked_to_the_resident(client, resident):
    client.force_login(resident)
    client.post(reverse("community:contact"), {**VALID, "kern": resident.kern_id})
    assert CallbackRequest.objects.get().requester == resident
    assert "nieuw" in client.get(reverse("community:home")).content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", ""), ("phone", "12345"), ("phone", "<script>alert(1)</script>"), ("name", ""),
     ("email", "geen-email"), ("kern", "99999"), ("topic", "99999"), ("preferred_moment", "midnight"),
     ("channel", "carrier-pigeon"),
     ("message", "x" * 2001)],
)
def test_bad_callback_input_gets_a_clear_error_and_stores_nothing(client, field, value):
    response = client.post(reverse("community:contact"), {**VALID, field: value})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not CallbackRequest.objects.exists()


def test_callback_is_shown_to_staff_but_not_to_other_residents(client, staff, resident, other_kern):
    callback = factories.CallbackRequestFactory(requester=resident, name="Jan Geheim", message="Mijn buurman")
    other = factories.UserFactory(kern=other_kern)
    client.force_login(other)
    assert client.get(reverse("community:staff_desk")).status_code == 403
    assert "Jan Geheim" not in client.get(reverse("community:home")).content.decode()
    client.force_login(staff)
    html = client.get(reverse("community:staff_desk")).content.decode()
    assert "Jan Geheim" in html and "Mijn buurman" in html
    response = client.post(reverse("community:handle_callback", args=[callback.pk]),
                           {"status": "done", "note": "Gebeld, opgelost"})
    assert response.status_code == 302
    callback.refresh_from_db()
    assert (callback.status, callback.assigned_to, callback.staff_note) == ("done", staff, "Gebeld, opgelost")
    assert callback.handled_at is not None


def test_residents_cannot_handle_callbacks_and_nothing_changes(client, resident):
    callback = factories.CallbackRequestFactory()
    client.force_login(resident)
    assert client.post(reverse("community:handle_callback", args=[callback.pk]), {"status": "done"}).status_code == 403
    callback.refresh_from_db()
    assert callback.status == "open"


def test_invalid_status_changes_nothing(client, staff):
    callback = factories.CallbackRequestFactory()
    client.force_login(staff)
    client.post(reverse("community:handle_callback", args=[callback.pk]), {"status": "vernietigd"})
    callback.refresh_from_db()
    assert callback.status == "open" and callback.assigned_to is None


def test_forged_callback_id_is_404(client, staff):
    client.force_login(staff)
    assert client.post(reverse("community:handle_callback", args=[424242]), {"status": "done"}).status_code == 404


def test_staff_desk_query_count_is_constant(client, staff, django_assert_max_num_queries):
    factories.CallbackRequestFactory.create_batch(3)
    client.force_login(staff)
    client.get(reverse("community:staff_desk"))
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("community:staff_desk"))
    factories.CallbackRequestFactory.create_batch(30)
    with django_assert_max_num_queries(10) as many:
        client.get(reverse("community:staff_desk"))
    assert len(many.captured_queries) == len(few.captured_queries)
