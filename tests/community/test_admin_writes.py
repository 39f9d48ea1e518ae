"""Admin writes go through services that ask the rule: kernen (admins only, page cache emptied) and
call-back requests (handle_callback assigns and timestamps) in the Wagtail snippet forms."""

import pytest
from django.contrib.auth.models import Permission

from community.models import CallbackRequest, Kern
from tests import factories

pytestmark = pytest.mark.django_db


def _kern_form(kern, **changes):
    data = {"name": kern.name, "slug": kern.slug, "latitude": str(kern.latitude), "longitude": str(kern.longitude),
            "postcode_prefix": kern.postcode_prefix, "council_name": kern.council_name,
            "council_email": kern.council_email}
    return {**data, **changes}


def test_superuser_edits_a_kern_through_the_service(client, cast, kern, monkeypatch):
    emptied = []
    monkeypatch.setattr("core.pagecache.invalidate_pages_after_commit", lambda: emptied.append(True))
    client.force_login(cast["superuser"])
    response = client.post(f"/admin/snippets/community/kern/edit/{kern.pk}/", _kern_form(kern, name="Arkel-Noord"))
    assert response.status_code == 302, response.content[:500]
    assert Kern.objects.get(pk=kern.pk).name == "Arkel-Noord"
    assert emptied


def test_staff_with_wagtail_permission_is_still_refused_by_the_rule(client, cast, kern):
    staff = cast["staff"]
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_kern", "add_kern"]))
    client.force_login(staff)
    response = client.post(f"/admin/snippets/community/kern/edit/{kern.pk}/", _kern_form(kern, name="Anders"))
    # the service's refusal comes back on the form (Wagtail shows it as an error); nothing saved
    assert response.status_code == 200
    assert "Alleen beheerders van de site wijzigen kernen." in response.content.decode()
    assert Kern.objects.get(pk=kern.pk).name == "Arkel"


def test_callback_status_in_wagtail_goes_through_handle_callback(client, cast, kern):
    callback = factories.CallbackRequestFactory(kern=kern)
    client.force_login(cast["superuser"])
    response = client.post(f"/admin/snippets/community/callbackrequest/edit/{callback.pk}/",
                           {"status": CallbackRequest.Status.DONE, "staff_note": "Gebeld"})
    assert response.status_code == 302, response.content[:500]
    callback.refresh_from_db()
    assert callback.status == CallbackRequest.Status.DONE
    assert callback.assigned_to == cast["superuser"] and callback.handled_at is not None  # what the service does


def test_discussion_in_the_django_admin_is_read_only(client, cast):
    from tests.factories_discussion import CommentFactory

    comment = CommentFactory()
    client.force_login(cast["superuser"])
    assert client.get("/django-admin/discussion/comment/").status_code == 200
    client.post(f"/django-admin/discussion/comment/{comment.pk}/change/", {"body": "Herschreven"})
    client.post(f"/django-admin/discussion/comment/{comment.pk}/delete/", {"post": "yes"})
    comment.refresh_from_db()
    assert comment.body != "Herschreven" and comment.deleted_at is None
    assert type(comment).objects.filter(pk=comment.pk).exists()


def test_staff_appoints_and_ends_a_council_seat_through_the_service(client, cast, kern, monkeypatch):
    from community.models import CouncilMembership

    emptied = []
    monkeypatch.setattr("core.pagecache.invalidate_pages_after_commit", lambda: emptied.append(True))
    staff = cast["staff"]
    staff.user_permissions.add(*Permission.objects.filter(
        codename__in=["add_councilmembership", "change_councilmembership", "delete_councilmembership"]))
    client.force_login(staff)
    person = cast["verified_resident"]
    response = client.post("/admin/snippets/community/councilmembership/add/",
                           {"user": person.pk, "kern": kern.pk, "role": "member", "since": "2026-01-05"})
    assert response.status_code == 302, response.content[:300]
    seat = CouncilMembership.objects.get(user=person)
    assert emptied
    client.post(f"/admin/snippets/community/councilmembership/delete/{seat.pk}/")
    assert not CouncilMembership.objects.filter(pk=seat.pk).exists()


def test_a_help_topic_delete_is_refused_to_staff_and_done_for_admins(client, cast):
    topic = factories.HelpTopicFactory()
    staff = cast["staff"]
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["delete_helptopic", "change_helptopic"]))
    client.force_login(staff)
    refused = client.post(f"/admin/snippets/community/helptopic/delete/{topic.pk}/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's answer to PermissionDenied
    assert type(topic).objects.filter(pk=topic.pk).exists()
    client.force_login(cast["superuser_not_staff"])
    client.post(f"/admin/snippets/community/helptopic/delete/{topic.pk}/")
    assert not type(topic).objects.filter(pk=topic.pk).exists()
